import type { Facts } from '../conditions/evaluate.js';
import type { CareEvent } from '../events/care-event.js';
import { pickTimeZone } from '../schedule/time-zone.js';
import type { PatientFacts } from './run-state.js';

/**
 * The zone a run speaks in: the zone the event names (a FHIR timezone extension on the
 * Appointment), else the patient's, else the organisation's.
 */
export function runTimeZone(
  event: CareEvent,
  patient: PatientFacts | null,
  orgTimeZone: string,
): string {
  const eventZone = (event.data as { appointment?: { timeZone?: string } }).appointment?.timeZone;
  return pickTimeZone([eventZone, patient?.timeZone], orgTimeZone);
}

/**
 * The facts conditions read, by dotted path: the event's data flattened one level deep
 * (`appointment.start`), the patient fields the workflow loaded, and the run's zone.
 */
export function factsOf(event: CareEvent, patient: PatientFacts | null, zone: string): Facts {
  const facts: Record<string, unknown> = { ...(patient?.fields ?? {}), 'patient.timeZone': zone };
  for (const [group, value] of Object.entries(event.data)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      facts[`event.${group}`] = value;
      continue;
    }
    for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
      facts[`${group}.${name}`] = member;
    }
  }
  return facts;
}
