import { describe, expect, it } from 'vitest';
import type { JourneyDocument, JourneyNode } from '../../../engine/journey/journey.schema.js';
import type { NodeType } from '../../../engine/journey/nodes.schema.js';
import { defaultDataFor } from './node-defaults.js';
import { simulateJourney } from './simulation.js';

function node(id: string, type: NodeType): JourneyNode {
  return { id, type, position: { x: 0, y: 0 }, data: defaultDataFor(type) } as JourneyNode;
}

const reminder: JourneyDocument = {
  schemaVersion: 1,
  name: 'Reminder',
  description: '',
  nodes: [
    node('booked', 'trigger.event'),
    node('day-before', 'wait.until'),
    node('send', 'send.email'),
    node('end', 'exit'),
  ],
  edges: [
    { id: 'e1', source: 'booked', sourceHandle: 'out', target: 'day-before' },
    { id: 'e2', source: 'day-before', sourceHandle: 'out', target: 'send' },
    { id: 'e3', source: 'send', sourceHandle: 'out', target: 'end' },
  ],
};

const appointment = {
  appointment: { start: '2026-12-04T15:00:00Z', status: 'booked', location: 'Room 4' },
};

describe('simulateJourney', () => {
  it('times the send in UTC and the patient zone, with its purpose and protection', () => {
    const view = simulateJourney(reminder, {
      startAt: '2026-12-01T09:00:00Z',
      patientTimeZone: 'America/New_York',
      orgTimeZone: 'America/New_York',
      eventData: appointment,
    });

    expect(view.sends).toEqual([
      {
        stepId: 'send',
        atUtc: '2026-12-03T15:00:00Z',
        atLocal: '2026-12-03T10:00:00-05:00',
        outcome: 'sent',
        purpose: 'treatment',
        protection: 'auto',
      },
    ]);
    expect([...view.pathNodeIds].sort()).toEqual(['booked', 'day-before', 'end', 'send']);
    expect([...view.pathEdgeIds].sort()).toEqual(['e1', 'e2', 'e3']);
  });

  it('sends nothing when a cancellation arrives while the run waits', () => {
    const view = simulateJourney(reminder, {
      startAt: '2026-12-01T09:00:00Z',
      patientTimeZone: 'America/New_York',
      orgTimeZone: 'America/New_York',
      eventData: appointment,
      arrivals: [{ at: '2026-12-02T09:00:00Z', cancel: { reason: 'operator' } }],
    });

    expect(view.sends).toEqual([]);
    expect(view.pathNodeIds.has('send')).toBe(false);
    expect(view.result.end.outcome).toBe('cancelled');
  });
});
