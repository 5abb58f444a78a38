import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validJourney } from '../../test/fixtures/journey-arbitrary.js';
import { compileJourney } from '../plan/compile.js';
import { sampleEvent, samplePatient } from './sample-event.js';
import { type SimulatedArrival, simulate } from './simulate.js';

const START = Date.parse('2026-03-01T00:00:00Z');

const arrival: fc.Arbitrary<SimulatedArrival> = fc
  .tuple(
    fc.integer({ min: 0, max: 30 * 24 * 60 }),
    fc.constantFrom(
      'appointment.confirmed',
      'appointment.rescheduled',
      'appointment.cancelled',
      'custom.reply',
      'operator.cancel',
    ),
    fc.integer({ min: -48, max: 24 * 20 }),
  )
  .map(([minutes, type, startHours]) => {
    const at = new Date(START + minutes * 60_000).toISOString();
    if (type === 'operator.cancel') {
      return { at, cancel: { reason: 'operator' } };
    }
    const start = new Date(START + startHours * 3_600_000).toISOString();
    return type === 'appointment.rescheduled'
      ? { at, event: { type, data: { appointment: { id: 'a', status: 'booked', start } } } }
      : { at, event: { type } };
  });

describe('simulate (properties)', () => {
  it('always ends a random valid journey, each step at most once, sends in time order', () => {
    fc.assert(
      fc.property(
        validJourney,
        fc.array(arrival, { maxLength: 6 }),
        fc.constantFrom('America/New_York', 'Europe/Berlin', undefined),
        (document, arrivals, zone) => {
          const { plan } = compileJourney(document);
          const startAt = new Date(START).toISOString();

          const result = simulate({
            journeyId: 'j_property',
            plan,
            event: sampleEvent('appointment.booked', startAt),
            patient: samplePatient(plan.patientFields, zone),
            startAt,
            orgTimeZone: 'America/Chicago',
            arrivals,
          });

          expect(['completed', 'cancelled']).toContain(result.end.status);
          expect(result.end.reason).not.toBe('simulation_limit');
          const stepIds = result.path.map((step) => step.stepId);
          expect(new Set(stepIds).size).toBe(stepIds.length);
          expect(result.decisions).toBeLessThanOrEqual(
            2 * Object.keys(plan.steps).length + 2 * arrivals.length + 3,
          );
          const times = result.sends.map((send) => Date.parse(send.at));
          expect(times).toEqual([...times].sort((a, b) => a - b));
        },
      ),
      { numRuns: 200 },
    );
  });
});
