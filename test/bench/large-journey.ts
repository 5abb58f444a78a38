import type { JourneyDocument, JourneyNode } from '../../engine/journey/journey.schema.js';
import { edges as numbered, node, plainEmail } from '../fixtures/journeys.js';

/**
 * A journey of `size` nodes on appointment.booked: a chain through every step kind in turn
 * (conditions and splits whose outcomes meet again at the next node), ending in an exit.
 */
export function largeJourney(size: number): JourneyDocument {
  const nodes: JourneyNode[] = [node('n0', 'trigger.event', { eventType: 'appointment.booked' })];
  const links: Array<[string, string, string]> = [];
  for (let index = 1; index < size - 1; index += 1) {
    const id = `n${index}`;
    const next = `n${index + 1}`;
    const step = stepAt(index, id);
    nodes.push(step.node);
    for (const handle of step.handles) {
      links.push([id, handle, next]);
    }
  }
  links.unshift(['n0', 'out', 'n1']);
  nodes.push(node(`n${size - 1}`, 'exit', { outcome: 'completed' }));
  return {
    schemaVersion: 1,
    name: `${size} nodes`,
    description: '',
    nodes,
    edges: numbered(...links),
  };
}

function stepAt(index: number, id: string): { node: JourneyNode; handles: string[] } {
  switch (index % 5) {
    case 0:
      return {
        node: node(id, 'condition', {
          rules: {
            combinator: 'any',
            rules: [
              { field: 'patient.email', op: 'exists' },
              { field: 'appointment.status', op: 'equals', value: 'booked' },
            ],
          },
        }),
        handles: ['yes', 'no'],
      };
    case 1:
      return {
        node: node(id, 'split', {
          branches: [
            { id: 'a', percent: 30 },
            { id: 'b', percent: 70 },
          ],
        }),
        handles: ['a', 'b'],
      };
    case 2:
      return {
        node: node(id, 'wait.until', {
          anchor: 'appointment.start',
          offset: { amount: index, unit: 'minutes', direction: 'before' },
          quietHours: { start: '21:00', end: '08:00' },
          ifPassed: 'continue',
        }),
        handles: ['out'],
      };
    case 3:
      return {
        node: node(id, 'send.email', {
          ...plainEmail(`Message ${index}`),
          template: {
            ...plainEmail(`Message ${index}`).template,
            text: 'Hello {{ patient.firstName }}, see you {{ appointment.start | local_date }} at {{ appointment.location }}.',
            variables: ['patient.firstName', 'appointment.start', 'appointment.location'],
          },
        }),
        handles: ['out'],
      };
    default:
      return {
        node: node(id, 'wait.event', {
          eventType: 'appointment.confirmed',
          timeout: { amount: 2, unit: 'days' },
        }),
        handles: ['received', 'timeout'],
      };
  }
}
