import type { FhirResource } from 'fhir/r4.js';
import { z } from 'zod';
import { parseFhirDateTime } from '../../schedule/fhir-date-time.js';
import { CARE_EVENT_TYPE_PATTERN } from '../care-event.js';

/** Resource types Pathwell reads itself; a mapping may not redefine them. */
export const BUILT_IN_RESOURCE_TYPES = ['Patient', 'Appointment', 'MedicationRequest', 'Encounter'];

const PATH = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/,
    'Write a dotted path such as "subject"',
  );

/**
 * A configured mapping from another FHIR resource type to a CareEvent type, for EHR events
 * Pathwell has no reader for (a ServiceRequest placed, a Procedure done, …).
 *
 * TODO: mapped values are not in the template catalogue (their sensitivity is unknown), so a
 * journey can trigger on a mapped event but neither test nor render its values; a mapping that
 * also declares each value's type and sensitivity class would let the catalogue list them.
 */
export const FhirMappingSchema = z.object({
  resourceType: z
    .string()
    .regex(/^[A-Z][A-Za-z]{1,63}$/)
    .refine((type) => !BUILT_IN_RESOURCE_TYPES.includes(type), 'Pathwell reads this type itself'),
  eventType: z.string().regex(CARE_EVENT_TYPE_PATTERN, 'Write a dotted type such as order.placed'),
  /** Only resources with one of these `status` values become events (all when absent). */
  statuses: z.array(z.string().min(1)).min(1).optional(),
  /** The path of the Reference to the patient. */
  patient: PATH.default('subject'),
  /** The path of the date or dateTime the event happened at. */
  occurredAt: PATH.optional(),
  /** Extra values carried in the event's data, by name: path of a string, number or boolean. */
  data: z.record(z.string().regex(/^[a-z][A-Za-z0-9]*$/), PATH).optional(),
});

/** A configured mapping from a FHIR resource type to a CareEvent type. */
export type FhirMapping = z.infer<typeof FhirMappingSchema>;

/** What a mapped resource means for journeys. */
export type MappedReading =
  | {
      kind: 'event';
      type: string;
      data: Record<string, unknown>;
      patientReference: string | undefined;
      occurredAt?: string;
    }
  | { kind: 'ignored'; reason: 'status_not_mapped' };

/**
 * Reads a resource through its configured mapping. The event's data is one group named after
 * the resource type (`serviceRequest.id`, `serviceRequest.status`, and the mapped values).
 *
 * @param resource - a resource of the mapping's type
 * @param mapping - the configured mapping
 */
export function readMapped(resource: FhirResource, mapping: FhirMapping): MappedReading {
  const status = (resource as { status?: unknown }).status;
  if (mapping.statuses !== undefined && !mapping.statuses.includes(String(status))) {
    return { kind: 'ignored', reason: 'status_not_mapped' };
  }
  const group = resource.resourceType.charAt(0).toLowerCase() + resource.resourceType.slice(1);
  const values: Record<string, unknown> = {
    id: resource.id ?? '',
    ...(typeof status === 'string' ? { status } : {}),
  };
  for (const [name, path] of Object.entries(mapping.data ?? {})) {
    const value = valueAt(resource, path);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      values[name] = value;
    }
  }
  const reference = (valueAt(resource, mapping.patient) as { reference?: unknown } | undefined)
    ?.reference;
  const occurredAt = mapping.occurredAt === undefined ? undefined : instantAt(resource, mapping);

  return {
    kind: 'event',
    type: mapping.eventType,
    data: { [group]: values },
    patientReference: typeof reference === 'string' ? reference : undefined,
    ...(occurredAt === undefined ? {} : { occurredAt }),
  };
}

function instantAt(resource: FhirResource, mapping: FhirMapping): string | undefined {
  const parsed = parseFhirDateTime(valueAt(resource, mapping.occurredAt ?? ''));
  return parsed.ok && parsed.value.kind === 'instant' ? parsed.value.utc : undefined;
}

// A dotted path through objects; arrays are entered at their first element, as FHIRPath's
// `first()` would, which is what a one-line mapping can sensibly mean.
function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    const holder: unknown = Array.isArray(current) ? (current as unknown[])[0] : current;
    if (holder === null || typeof holder !== 'object') {
      return undefined;
    }
    current = (holder as Record<string, unknown>)[step];
  }
  return Array.isArray(current) ? (current as unknown[])[0] : current;
}
