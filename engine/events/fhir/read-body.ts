import type { Appointment, Bundle, FhirResource, Patient } from 'fhir/r4.js';
import { AppError } from '../../errors/app-error.js';
import { canonicalJson } from '../../util/canonical-json.js';
import { sha256Hex } from '../../util/hash.js';
import type { AppointmentData } from '../care-event.js';
import type { IgnoreReason } from '../ignore-reasons.js';
import type { PatientRecord } from '../patient-record.js';
import { type KnownAppointment, readAppointment } from './appointment.js';
import { normalisePatient } from './patient.js';
import { type BundleIndex, indexBundle, referencedType, resolveReference } from './references.js';

/** One resource of a body, with the Bundle entry facts that reference resolution needs. */
interface Located<TResource> {
  resource: TResource;
  fullUrl?: string | undefined;
}

/** A FHIR body read into the resources Pathwell acts on. Produced by {@link readFhirBody}. */
export interface FhirBodyReading {
  patients: Array<Located<Patient> & { record: PatientRecord }>;
  appointments: Array<Located<Appointment>>;
  ignored: IgnoredResource[];
  index: BundleIndex;
}

/** A resource that started nothing, and why. */
export interface IgnoredResource {
  resourceType: string;
  id: string;
  reason: IgnoreReason;
}

/** An event the body produces, ready for the inbox. */
export interface PlannedEvent {
  type: string;
  subject: { resourceType: 'Appointment'; id: string };
  /** The patient's id at the source; the server maps it to Pathwell's opaque patient id. */
  patientSourceId: string;
  data: AppointmentData;
  /** Same resource version, same key: a redelivery is recognised by it. */
  idempotencyKey: string;
  appointmentState: KnownAppointment;
}

/** What one FHIR body asks Pathwell to store and start. Produced by {@link planFhirIngest}. */
export interface FhirIngestPlan {
  patients: Array<{ sourceId: string; record: PatientRecord }>;
  events: PlannedEvent[];
  /** Resource versions the inbox already holds: answered as duplicates, started again never. */
  redelivered: Array<{ resourceType: string; id: string; idempotencyKey: string }>;
  ignored: IgnoredResource[];
}

/** What the server must look up before {@link planFhirIngest} can decide. */
export interface FhirLookups {
  knownAppointments: ReadonlyMap<string, KnownAppointment>;
  /** Source ids of patients already in the directory. */
  directoryPatients: ReadonlySet<string>;
  /** Idempotency keys the inbox already holds. */
  seenKeys: ReadonlySet<string>;
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * Reads a parsed JSON body as a FHIR R4 resource or Bundle.
 *
 * @param body - the parsed JSON
 * @param now - the current instant, to tell current contact points from ended ones
 * @throws AppError `body_not_fhir_resource` (400) when the body is not a FHIR resource
 */
export function readFhirBody(body: unknown, now: string): FhirBodyReading {
  const resource = asResource(body, 'The body');
  const entries =
    resource.resourceType === 'Bundle'
      ? bundleEntries(resource)
      : [{ resource, fullUrl: undefined }];
  const reading: FhirBodyReading = {
    patients: [],
    appointments: [],
    ignored: [],
    index: indexBundle(entries),
  };

  for (const entry of entries) {
    const { resource: item, fullUrl } = entry;
    if (item.resourceType === 'Patient') {
      reading.patients.push({ resource: item, fullUrl, record: normalisePatient(item, now) });
    } else if (item.resourceType === 'Appointment') {
      reading.appointments.push({ resource: item, fullUrl });
    } else {
      reading.ignored.push({
        resourceType: item.resourceType,
        id: item.id ?? '',
        reason: 'resource_type_unsupported',
      });
    }
  }
  return reading;
}

/** The appointment and patient ids the server must look up for {@link planFhirIngest}. */
export function lookupsNeeded(reading: FhirBodyReading): {
  appointmentIds: string[];
  patientIds: string[];
  idempotencyKeys: string[];
} {
  const patientIds = new Set<string>();
  for (const located of reading.appointments) {
    for (const participant of located.resource.participant ?? []) {
      const reference = participant.actor?.reference;
      const resolved = reference === undefined ? undefined : resolveIn(reading, located, reference);
      if (resolved?.found === 'elsewhere' && resolved.resourceType === 'Patient') {
        patientIds.add(resolved.id);
      }
    }
  }
  return {
    appointmentIds: reading.appointments.map((located) => located.resource.id ?? ''),
    patientIds: [...patientIds],
    idempotencyKeys: reading.appointments.map((located) => idempotencyKeyOf(located.resource)),
  };
}

/**
 * Decides what a body stores and starts, given what the server looked up.
 *
 * @throws AppError (422) when an appointment breaks a rule; nothing of the body is then stored
 */
export function planFhirIngest(reading: FhirBodyReading, lookups: FhirLookups): FhirIngestPlan {
  const plan: FhirIngestPlan = {
    patients: reading.patients.map(({ resource, fullUrl, record }) => ({
      sourceId: resource.id ?? fullUrl ?? '',
      record,
    })),
    events: [],
    redelivered: [],
    ignored: [...reading.ignored],
  };
  const patientsInBody = new Set(plan.patients.map((patient) => patient.sourceId));

  for (const located of reading.appointments) {
    const appointment = located.resource;
    const id = appointment.id ?? '';
    const idempotencyKey = idempotencyKeyOf(appointment);
    if (lookups.seenKeys.has(idempotencyKey)) {
      plan.redelivered.push({ resourceType: 'Appointment', id, idempotencyKey });
      continue;
    }
    const isPatient = (reference: string) =>
      patientIdOf(reading, located, reference) !== undefined ||
      referencedType(reference) === 'Patient';
    const result = readAppointment(appointment, isPatient, lookups.knownAppointments.get(id));
    if (result.kind === 'ignored') {
      plan.ignored.push({ resourceType: 'Appointment', id, reason: result.reason });
      continue;
    }

    const patientSourceId = patientIdOf(reading, located, result.patientReference);
    const isKnownPatient =
      patientSourceId !== undefined &&
      (patientsInBody.has(patientSourceId) || lookups.directoryPatients.has(patientSourceId));
    if (!isKnownPatient) {
      plan.ignored.push({ resourceType: 'Appointment', id, reason: 'patient_unknown' });
      continue;
    }

    plan.events.push({
      type: result.type,
      subject: { resourceType: 'Appointment', id },
      patientSourceId,
      data: result.data,
      idempotencyKey,
      appointmentState: result.state,
    });
  }
  return plan;
}

/**
 * The key that identifies one version of a resource: its `meta.versionId`, else its
 * `meta.lastUpdated`, else a hash of its canonical JSON. A redelivery of the same version
 * has the same key however its JSON was re-serialised.
 */
export function idempotencyKeyOf(resource: FhirResource): string {
  const base = `${resource.resourceType}/${resource.id ?? ''}`;
  if (resource.meta?.versionId !== undefined) {
    return `${base}/_history/${resource.meta.versionId}`;
  }
  if (resource.meta?.lastUpdated !== undefined) {
    return `${base}@${resource.meta.lastUpdated}`;
  }
  return `${base}#${sha256Hex(canonicalJson(resource))}`;
}

function patientIdOf(
  reading: FhirBodyReading,
  located: Located<Appointment>,
  reference: string,
): string | undefined {
  const resolved = resolveIn(reading, located, reference);
  if (resolved.found === 'bundle') {
    if (resolved.resource.resourceType !== 'Patient') {
      return undefined;
    }
    const entry = reading.patients.find((patient) => patient.resource === resolved.resource);
    return resolved.resource.id ?? entry?.fullUrl;
  }
  return resolved.found === 'elsewhere' && resolved.resourceType === 'Patient'
    ? resolved.id
    : undefined;
}

function resolveIn(reading: FhirBodyReading, located: Located<Appointment>, reference: string) {
  return resolveReference(reference, {
    fullUrl: located.fullUrl,
    index: reading.index,
    contained: located.resource.contained as FhirResource[] | undefined,
  });
}

function asResource(value: unknown, where: string): FhirResource {
  const candidate = value as { resourceType?: unknown } | null;
  const isResource =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof candidate?.resourceType === 'string' &&
    RESOURCE_TYPE.test(candidate.resourceType);
  if (!isResource) {
    throw new AppError(
      'body_not_fhir_resource',
      `${where} is not a FHIR resource: expected a JSON object with a "resourceType" member ` +
        'such as "Appointment", "Patient" or "Bundle".',
    );
  }
  return value as FhirResource;
}

function bundleEntries(bundle: Bundle): Array<Located<FhirResource>> {
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new AppError('body_not_fhir_resource', 'Bundle "entry" must be an array of entries.');
  }
  const located: Array<Located<FhirResource>> = [];
  for (const [position, entry] of (bundle.entry ?? []).entries()) {
    // Entries without a resource (a transaction's DELETE, a history tombstone) carry nothing
    // that starts a journey.
    if (entry?.resource === undefined) {
      continue;
    }
    const resource = asResource(entry.resource, `Bundle entry[${position}].resource`);
    located.push({ resource, fullUrl: entry.fullUrl });
  }
  return located;
}
