import { describe, expect, it } from 'vitest';
import {
  edges,
  everyStepJourney,
  journey,
  node,
  plainEmail,
} from '../../test/fixtures/journeys.js';
import type { CareEvent } from '../events/care-event.js';
import { compileJourney } from '../plan/compile.js';
import { sampleEvent, samplePatient } from './sample-event.js';
import { type SimulationInput, simulate } from './simulate.js';

const START = '2026-06-01T12:00:00Z';

function appointmentEvent(start: string, extra: Record<string, unknown> = {}): CareEvent {
  return {
    id: 'evt-1',
    type: 'appointment.booked',
    source: 'test',
    subject: { resourceType: 'Appointment', id: 'apt-1' },
    patientId: 'patient-1',
    occurredAt: START,
    data: { appointment: { id: 'apt-1', status: 'booked', start, ...extra } },
  };
}

function input(overrides: Partial<SimulationInput> & { document?: unknown }): SimulationInput {
  const { plan } = compileJourney(overrides.document ?? everyStepJourney());
  return {
    journeyId: 'j_test',
    plan,
    event: appointmentEvent('2026-06-03T15:00:00Z'),
    patient: { timeZone: 'Europe/Berlin', fields: { 'patient.email': 'a@example.org' } },
    startAt: START,
    orgTimeZone: 'America/New_York',
    ...overrides,
  };
}

const reminderJourney = (wait: Record<string, unknown>) =>
  journey(
    'Reminder',
    [
      node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
      node('wait', 'wait.until', {
        anchor: 'appointment.start',
        offset: { amount: 1, unit: 'days', direction: 'before' },
        ifPassed: 'continue',
        ...wait,
      } as never),
      node('send', 'send.email', plainEmail('Reminder')),
      node('end', 'exit', { outcome: 'completed' }),
    ],
    edges(['booked', 'out', 'wait'], ['wait', 'out', 'send'], ['send', 'out', 'end']),
  );

describe('simulate', () => {
  it('returns the path and each send in UTC and in the patient zone', () => {
    const result = simulate(input({}));

    expect(result.zone).toBe('Europe/Berlin');
    expect(result.sends[0]).toEqual({
      stepId: 'reminder',
      at: '2026-06-03T14:45:00Z',
      local: '2026-06-03T16:45:00+02:00',
      outcome: 'sent',
    });
    // No confirmation arrives: the timeout, a one-minute wait, the nudge, then the exit.
    expect(result.sends.map((send) => [send.stepId, send.at])).toEqual([
      ['reminder', '2026-06-03T14:45:00Z'],
      ['nudge', '2026-06-03T14:47:00Z'],
    ]);
    expect(result.end).toEqual({ status: 'completed', outcome: 'no_reply' });
    expect(result.path.map((step) => `${step.stepId}:${step.outcome}`)).toEqual([
      'has-email:yes',
      expect.stringMatching(/^arm:[ab]$/),
      'wait-reminder:reached',
      'reminder:sent',
      'confirm:timeout',
      'nudge-wait:elapsed',
      'nudge:sent',
      'no-reply:no_reply',
    ]);
  });

  it('takes the received branch when the awaited event arrives before the timeout', () => {
    const result = simulate(
      input({
        arrivals: [{ at: '2026-06-03T14:45:30Z', event: { type: 'appointment.confirmed' } }],
      }),
    );

    expect(result.sends.map((send) => send.stepId)).toEqual(['reminder', 'thanks']);
    expect(result.sends[1]?.at).toBe('2026-06-03T14:45:30Z');
    expect(result.end.outcome).toBe('confirmed');
    expect(result.waits.find((wait) => wait.stepId === 'confirm')?.isInterrupted).toBe(true);
  });

  it('recomputes a pending wait when a reschedule arrives', () => {
    const result = simulate(
      input({
        arrivals: [
          {
            at: '2026-06-02T09:00:00Z',
            event: {
              type: 'appointment.rescheduled',
              data: {
                appointment: { id: 'apt-1', status: 'booked', start: '2026-06-05T08:00:00Z' },
              },
            },
          },
        ],
      }),
    );

    expect(result.sends[0]?.at).toBe('2026-06-05T07:45:00Z');
    expect(result.waits.map((wait) => wait.until).slice(0, 2)).toEqual([
      '2026-06-03T14:45:00Z',
      '2026-06-05T07:45:00Z',
    ]);
  });

  it('sends nothing after a cancellation and ends the run cancelled', () => {
    const result = simulate(
      input({
        arrivals: [{ at: '2026-06-02T09:00:00Z', event: { type: 'appointment.cancelled' } }],
      }),
    );

    expect(result.sends).toEqual([]);
    expect(result.end).toEqual({
      status: 'cancelled',
      outcome: 'cancelled',
      reason: 'appointment_cancelled',
    });
    expect(result.endedAt).toBe('2026-06-02T09:00:00Z');
  });

  it('records what a stubbed send reports, and the run goes on', () => {
    const result = simulate(
      input({ sendReports: { reminder: { outcome: 'blocked', reason: 'channel_opt_out' } } }),
    );

    expect(result.sends[0]).toMatchObject({ outcome: 'blocked', reason: 'channel_opt_out' });
    expect(result.path.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'blocked',
      reason: 'channel_opt_out',
    });
    expect(result.end.outcome).toBe('no_reply');
  });

  it('ends with anchor_passed when the instant has passed and the step says exit', () => {
    const result = simulate(
      input({
        document: reminderJourney({ ifPassed: 'exit' }),
        event: appointmentEvent('2026-06-01T18:00:00Z'),
      }),
    );

    expect(result.sends).toEqual([]);
    expect(result.end).toEqual({ status: 'completed', outcome: 'exited', reason: 'anchor_passed' });
  });

  it('moves a send out of quiet hours in the patient zone', () => {
    const result = simulate(
      input({
        document: reminderJourney({ quietHours: { start: '21:00', end: '08:00' } }),
        event: appointmentEvent('2026-06-04T05:30:00Z'),
      }),
    );

    // A day before 07:30 Berlin time is 07:30, in quiet hours: moved to 08:00 local.
    expect(result.sends[0]?.local).toBe('2026-06-03T08:00:00+02:00');
  });

  it('speaks in the organisation zone for a patient with none', () => {
    const result = simulate(input({ patient: { fields: { 'patient.email': 'a@example.org' } } }));

    expect(result.zone).toBe('America/New_York');
    expect(result.sends[0]?.local).toBe('2026-06-03T10:45:00-04:00');
  });
});

describe('sampleEvent and samplePatient', () => {
  it('fill the variables the event type carries, times a week ahead', () => {
    const event = sampleEvent('appointment.booked', START);

    expect(event.data).toMatchObject({
      appointment: { start: '2026-06-08T14:00:00Z', location: expect.any(String) },
    });
    expect(sampleEvent('patient.discharged', START).data).toMatchObject({
      discharge: { at: '2026-06-08T14:00:00Z', isApproximate: false },
    });
    expect(samplePatient(['patient.email'], 'Asia/Tokyo')).toEqual({
      timeZone: 'Asia/Tokyo',
      fields: { 'patient.email': 'alex@example.org' },
    });
  });
});
