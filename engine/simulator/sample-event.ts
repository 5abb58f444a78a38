import { DateTime } from 'luxon';
import type { CareEvent } from '../events/care-event.js';
import type { PatientFacts } from '../interpreter/run-state.js';
import { type VariableSpec, variablesFor } from '../templates/catalogue.js';

const PATIENT_GROUPS = new Set(['patient', 'organisation', 'links']);

/**
 * A made-up event of a type, for the simulator when the designer gives none: every variable
 * the type carries, with the catalogue's example value, except times, which are placed a week
 * after `now` (at 14:00 UTC) so waits before them have somewhere to go.
 *
 * @param eventType - the trigger's event type; `undefined` for schedule and manual triggers
 * @param now - the simulation's start (ISO 8601)
 */
export function sampleEvent(eventType: string | undefined, now: string): CareEvent {
  const data: Record<string, Record<string, unknown>> = {};
  const inAWeek = DateTime.fromISO(now, { zone: 'UTC' })
    .plus({ days: 7 })
    .set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
  for (const spec of variablesFor(eventType)) {
    const [group = '', name = ''] = spec.path.split('.');
    if (PATIENT_GROUPS.has(group)) {
      continue;
    }
    const bucket = data[group] ?? {};
    bucket[name] = sampleValue(spec, inAWeek);
    data[group] = bucket;
  }
  return {
    id: 'simulated-event',
    type: eventType ?? 'journey.manual',
    source: 'simulator',
    subject: { resourceType: 'Simulation', id: 'simulated-subject' },
    patientId: 'simulated-patient',
    occurredAt: now,
    data,
  };
}

/**
 * A made-up patient: the catalogue's example for every patient field the plan's conditions
 * read, in a zone of the designer's choosing (or none, so the organisation's applies).
 *
 * @param fields - the plan's `patientFields`
 * @param timeZone - the patient's IANA zone, if the sample has one
 */
export function samplePatient(fields: readonly string[], timeZone?: string): PatientFacts {
  const values: Record<string, unknown> = {};
  for (const spec of variablesFor(undefined)) {
    if (fields.includes(spec.path)) {
      values[spec.path] = spec.example;
    }
  }
  return { timeZone, fields: values };
}

function sampleValue(spec: VariableSpec, inAWeek: DateTime): unknown {
  switch (spec.type) {
    case 'datetime':
      return inAWeek.toISO({ suppressMilliseconds: true });
    case 'date':
      return inAWeek.toISODate();
    case 'string':
    case 'number':
    case 'boolean':
      return spec.example;
  }
}
