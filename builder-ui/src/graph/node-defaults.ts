import type { JourneyNode } from '../../../engine/journey/journey.schema.js';
import type { NodeType } from '../../../engine/journey/nodes.schema.js';

type DataOf<TType extends NodeType> = Extract<JourneyNode, { type: TType }>['data'];

// What a node holds when it is dropped from the palette: valid on its own where possible, so a
// designer starts from a working example rather than from a list of errors.
const DEFAULTS: { [TType in NodeType]: () => DataOf<TType> } = {
  'trigger.event': () => ({ eventType: 'appointment.booked' }),
  'trigger.schedule': () => ({
    cron: '0 9 * * 1',
    timeZone: 'America/New_York',
    segment: { combinator: 'all', rules: [] },
    batchSize: 100,
    batchIntervalSeconds: 60,
  }),
  'trigger.manual': () => ({}),
  condition: () => ({
    rules: {
      combinator: 'all',
      rules: [{ field: 'appointment.status', op: 'equals', value: 'booked' }],
    },
  }),
  split: () => ({
    branches: [
      { id: 'a', percent: 50 },
      { id: 'b', percent: 50 },
    ],
  }),
  'wait.duration': () => ({ duration: { amount: 1, unit: 'days' } }),
  'wait.until': () => ({
    anchor: 'appointment.start',
    offset: { amount: 24, unit: 'hours', direction: 'before' },
    quietHours: { start: '21:00', end: '08:00' },
    ifPassed: 'continue',
  }),
  'wait.event': () => ({
    eventType: 'appointment.confirmed',
    timeout: { amount: 2, unit: 'days' },
  }),
  'send.email': () => ({
    template: {
      subject: 'A message from {{ organisation.name }}',
      html: '<p>Hello {{ patient.firstName }},</p>',
      text: 'Hello {{ patient.firstName }},',
      variables: ['organisation.name', 'patient.firstName'],
    },
    purpose: 'treatment',
    protection: 'auto',
  }),
  exit: () => ({ outcome: 'done' }),
};

/** The data a new node of a type starts with. */
export function defaultDataFor<TType extends NodeType>(type: TType): DataOf<TType> {
  return DEFAULTS[type]();
}

/** What the palette calls each node type, in the order it lists them. */
export const PALETTE: ReadonlyArray<{ type: NodeType; label: string; hint: string }> = [
  { type: 'trigger.event', label: 'Event trigger', hint: 'Starts a run for each EHR event' },
  { type: 'trigger.schedule', label: 'Schedule trigger', hint: 'Starts runs for a segment' },
  { type: 'trigger.manual', label: 'Manual trigger', hint: 'Started by a person' },
  { type: 'condition', label: 'Condition', hint: 'Branches yes / no on rules' },
  { type: 'split', label: 'Split', hint: 'Sends patients down branches by percent' },
  { type: 'wait.duration', label: 'Wait', hint: 'Waits a fixed time' },
  { type: 'wait.until', label: 'Wait until', hint: 'Waits until a time from the event' },
  { type: 'wait.event', label: 'Wait for event', hint: 'Waits for an event, with a timeout' },
  { type: 'send.email', label: 'Send email', hint: 'Sends a message; consent checked then' },
  { type: 'exit', label: 'Exit', hint: 'Ends the run with an outcome' },
];
