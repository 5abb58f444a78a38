import type { JourneyDocument } from '../../engine/journey/journey.schema.js';

const REMINDER_TEXT = `Hello {{ patient.firstName | default: "there" }},

This is a reminder of your appointment on {{ appointment.start | local_date }} at \
{{ appointment.start | local_time }}{% if appointment.location %}, {{ appointment.location }}\
{% endif %}.

If you cannot come, please call us so we can offer the time to someone else.

Your care team`;

const REMINDER_HTML = `<p>Hello {{ patient.firstName | default: "there" }},</p>
<p>This is a reminder of your appointment on <strong>{{ appointment.start | local_date }}</strong>
at <strong>{{ appointment.start | local_time }}</strong>{% if appointment.location %},
{{ appointment.location }}{% endif %}.</p>
<p>If you cannot come, please call us so we can offer the time to someone else.</p>
<p>Your care team</p>`;

/**
 * The journey `npm start` publishes in development when there are none: a treatment reminder
 * 24 hours before a booked appointment, for patients with an email address.
 */
export const DEMO_JOURNEY: JourneyDocument = {
  schemaVersion: 1,
  name: 'Appointment reminder',
  description:
    'Emails the patient 24 hours before a booked appointment (at once if that time has passed ' +
    'but the appointment is still ahead).',
  nodes: [
    {
      id: 'booked',
      type: 'trigger.event',
      position: { x: 0, y: 0 },
      data: { eventType: 'appointment.booked' },
    },
    {
      id: 'has-email',
      type: 'condition',
      position: { x: 0, y: 120 },
      data: {
        label: 'Patient has an email',
        rules: { combinator: 'all', rules: [{ field: 'patient.email', op: 'exists' }] },
      },
    },
    {
      id: 'still-ahead',
      type: 'condition',
      position: { x: 0, y: 240 },
      data: {
        label: 'Appointment is still ahead',
        rules: {
          combinator: 'all',
          rules: [
            {
              field: 'appointment.start',
              op: 'after',
              value: { relativeToNow: { amount: 0, unit: 'minutes' } },
            },
          ],
        },
      },
    },
    {
      id: 'day-before',
      type: 'wait.until',
      position: { x: 0, y: 360 },
      data: {
        anchor: 'appointment.start',
        offset: { amount: 24, unit: 'hours', direction: 'before' },
        ifPassed: 'continue',
      },
    },
    {
      id: 'reminder',
      type: 'send.email',
      position: { x: 0, y: 480 },
      data: {
        purpose: 'treatment',
        protection: 'auto',
        template: {
          subject: 'Appointment reminder from your care team',
          text: REMINDER_TEXT,
          html: REMINDER_HTML,
          variables: ['patient.firstName', 'appointment.start', 'appointment.location'],
        },
      },
    },
    {
      id: 'sent',
      type: 'exit',
      position: { x: 0, y: 600 },
      data: { outcome: 'completed' },
    },
    {
      id: 'no-email',
      type: 'exit',
      position: { x: 240, y: 240 },
      data: { outcome: 'skipped', reason: 'no_email_address' },
    },
    {
      id: 'in-past',
      type: 'exit',
      position: { x: 240, y: 360 },
      data: { outcome: 'skipped', reason: 'appointment_in_past' },
    },
  ],
  edges: [
    { id: 'e1', source: 'booked', sourceHandle: 'out', target: 'has-email' },
    { id: 'e2', source: 'has-email', sourceHandle: 'yes', target: 'still-ahead' },
    { id: 'e3', source: 'has-email', sourceHandle: 'no', target: 'no-email' },
    { id: 'e4', source: 'still-ahead', sourceHandle: 'yes', target: 'day-before' },
    { id: 'e5', source: 'still-ahead', sourceHandle: 'no', target: 'in-past' },
    { id: 'e6', source: 'day-before', sourceHandle: 'out', target: 'reminder' },
    { id: 'e7', source: 'reminder', sourceHandle: 'out', target: 'sent' },
  ],
};
