import type { Appointment, FhirResource, Medication } from 'fhir/r4.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import {
  emptyPlan,
  type IngestLookups,
  type IngestPlan,
  type PlannedEvent,
} from '../ingest-plan.js';
import { actorReferenceOf, participantsOf, readAppointment } from './appointment.js';
import { readAsSenderFault, stringOf } from './as-received.js';
import { readEncounter } from './encounter.js';
import { type FhirMapping, readMapped } from './generic-mapping.js';
import { readMedicationRequest } from './medication-request.js';
import { type FhirBodyReading, idempotencyKeyOf, type Located } from './read-body.js';
import { referencedType, resolveReference } from './references.js';

/** What planning needs besides the reading and the lookups. */
export interface FhirPlanContext {
  orgTimeZone: string;
  /** When the body was received (ISO 8601). */
  receivedAt: string;
  mappings: readonly FhirMapping[];
}

/** The ids the server must look up before {@link planFhirIngest} can decide. */
export interface FhirLookupsNeeded {
  appointmentIds: string[];
  prescriptionIds: string[];
  /** Patients referenced but not carried in the body (the directory or the EHR may have them). */
  patientIds: string[];
  idempotencyKeys: string[];
}

/** One candidate read: an event for a patient reference, or why it starts nothing. */
type CandidateOutcome =
  | {
      kind: 'event';
      event: Omit<PlannedEvent, 'patientSourceId' | 'idempotencyKey'>;
      patientReference: string;
      prescription?: Pick<IngestPlan['prescriptions'][number], 'state' | 'record'>;
    }
  | { kind: 'ignored'; reason: IngestPlan['ignored'][number]['reason'] };

/** The ids a reading needs looked up for {@link planFhirIngest}. */
export function lookupsNeeded(
  reading: FhirBodyReading,
  mappings: readonly FhirMapping[] = [],
): FhirLookupsNeeded {
  return readAsSenderFault(() => idsToLookUp(reading, mappings));
}

function idsToLookUp(
  reading: FhirBodyReading,
  mappings: readonly FhirMapping[],
): FhirLookupsNeeded {
  const patientIds = new Set<string>();
  for (const located of reading.candidates) {
    for (const reference of patientReferencesOf(located.resource, mappings)) {
      const resolved = resolveIn(reading, located, reference);
      if (resolved.found === 'elsewhere' && resolved.resourceType === 'Patient') {
        patientIds.add(resolved.id);
      }
    }
  }
  const idsOf = (type: string) =>
    reading.candidates
      .filter((located) => located.resource.resourceType === type)
      .map((located) => located.resource.id ?? '');
  return {
    appointmentIds: idsOf('Appointment'),
    prescriptionIds: idsOf('MedicationRequest'),
    patientIds: [...patientIds],
    idempotencyKeys: reading.candidates.map((located) => idempotencyKeyOf(located.resource)),
  };
}

/**
 * Decides what a FHIR body stores and starts, given what the server looked up.
 *
 * @throws AppError (422) when a resource breaks a rule; its `issues[].field` is the path of the
 *   offending field in the body (`Bundle.entry[2].resource.start`). Nothing is then stored.
 */
export function planFhirIngest(
  reading: FhirBodyReading,
  lookups: IngestLookups,
  context: FhirPlanContext,
): IngestPlan {
  return readAsSenderFault(() => decidePlan(reading, lookups, context));
}

function decidePlan(
  reading: FhirBodyReading,
  lookups: IngestLookups,
  context: FhirPlanContext,
): IngestPlan {
  const plan = emptyPlan();
  plan.patients = reading.patients.map(({ sourceId, record }) => ({ sourceId, record }));
  plan.ignored = [...reading.ignored];
  const patientsInBody = new Set(plan.patients.map((patient) => patient.sourceId));

  for (const located of reading.candidates) {
    const { resource } = located;
    const id = resource.id ?? '';
    const idempotencyKey = idempotencyKeyOf(resource);
    if (lookups.seenKeys.has(idempotencyKey)) {
      plan.redelivered.push({ resourceType: resource.resourceType, id, idempotencyKey });
      continue;
    }
    const outcome = withFieldPath(located.path, () =>
      readCandidate(reading, located, lookups, context),
    );
    if (outcome.kind === 'ignored') {
      plan.ignored.push({ resourceType: resource.resourceType, id, reason: outcome.reason });
      continue;
    }

    const patientSourceId = patientIdOf(reading, located, outcome.patientReference);
    const isKnownPatient =
      patientSourceId !== undefined &&
      (patientsInBody.has(patientSourceId) || lookups.directoryPatients.has(patientSourceId));
    if (!isKnownPatient) {
      plan.ignored.push({ resourceType: resource.resourceType, id, reason: 'patient_unknown' });
      continue;
    }
    plan.events.push({ ...outcome.event, patientSourceId, idempotencyKey });
    if (outcome.prescription !== undefined) {
      plan.prescriptions.push({ sourceId: id, patientSourceId, ...outcome.prescription });
    }
  }
  return plan;
}

function readCandidate(
  reading: FhirBodyReading,
  located: Located<FhirResource>,
  lookups: IngestLookups,
  context: FhirPlanContext,
): CandidateOutcome {
  const { resource } = located;
  const id = resource.id ?? '';
  const subject = { resourceType: resource.resourceType, id };
  switch (resource.resourceType) {
    case 'Appointment':
      return readAppointmentCandidate(reading, located as Located<Appointment>, lookups);
    case 'MedicationRequest': {
      const result = readMedicationRequest(resource, {
        orgTimeZone: context.orgTimeZone,
        known: lookups.knownPrescriptions.get(id),
        resolveMedication: (reference) => medicationAt(reading, located, reference),
      });
      return result.kind === 'ignored'
        ? result
        : {
            kind: 'event',
            event: { type: 'prescription.renewal_due', subject, data: { ...result.data } },
            patientReference: result.subjectReference,
            prescription: { state: result.state, record: result.record },
          };
    }
    case 'Encounter': {
      const result = readEncounter(resource, context);
      return result.kind === 'ignored'
        ? result
        : {
            kind: 'event',
            event: {
              type: 'patient.discharged',
              subject,
              data: { ...result.data },
              occurredAt: result.occurredAt,
            },
            patientReference: result.subjectReference,
          };
    }
    default:
      return readMappedCandidate(resource, context.mappings);
  }
}

function readAppointmentCandidate(
  reading: FhirBodyReading,
  located: Located<Appointment>,
  lookups: IngestLookups,
): CandidateOutcome {
  const appointment = located.resource;
  const isPatient = (reference: string) =>
    patientIdOf(reading, located, reference) !== undefined ||
    referencedType(reference) === 'Patient';
  const known = lookups.knownAppointments.get(appointment.id ?? '');
  const result = readAppointment(appointment, isPatient, known);
  if (result.kind === 'ignored') {
    return result;
  }
  return {
    kind: 'event',
    event: {
      type: result.type,
      subject: { resourceType: 'Appointment', id: appointment.id ?? '' },
      data: { ...result.data },
      appointmentState: result.state,
    },
    patientReference: result.patientReference,
  };
}

function readMappedCandidate(
  resource: FhirResource,
  mappings: readonly FhirMapping[],
): CandidateOutcome {
  const mapping = mappings.find((candidate) => candidate.resourceType === resource.resourceType);
  const result = mapping === undefined ? undefined : readMapped(resource, mapping);
  if (result === undefined) {
    return { kind: 'ignored', reason: 'resource_type_unsupported' };
  }
  if (result.kind === 'ignored') {
    return result;
  }
  if (result.patientReference === undefined) {
    throw new AppError(
      'resource_subject_missing',
      `${resource.resourceType} "${resource.id ?? '(no id)'}" has no patient at "${mapping?.patient}", where its configured mapping looks.`,
      {
        issues: [
          { code: 'resource_subject_missing', message: 'No patient', field: mapping?.patient },
        ],
      },
    );
  }
  return {
    kind: 'event',
    event: {
      type: result.type,
      subject: { resourceType: resource.resourceType, id: resource.id ?? '' },
      data: result.data,
      ...(result.occurredAt === undefined ? {} : { occurredAt: result.occurredAt }),
    },
    patientReference: result.patientReference,
  };
}

function patientReferencesOf(resource: FhirResource, mappings: readonly FhirMapping[]): string[] {
  switch (resource.resourceType) {
    case 'Appointment':
      return participantsOf(resource)
        .map(actorReferenceOf)
        .filter((reference): reference is string => reference !== undefined);
    case 'MedicationRequest':
    case 'Encounter': {
      const reference = stringOf(resource.subject?.reference);
      return reference === undefined ? [] : [reference];
    }
    default: {
      const mapping = mappings.find(
        (candidate) => candidate.resourceType === resource.resourceType,
      );
      const result = mapping === undefined ? undefined : readMapped(resource, mapping);
      return result?.kind === 'event' && result.patientReference !== undefined
        ? [result.patientReference]
        : [];
    }
  }
}

function patientIdOf(
  reading: FhirBodyReading,
  located: Located<FhirResource>,
  reference: string,
): string | undefined {
  const resolved = resolveIn(reading, located, reference);
  if (resolved.found === 'bundle') {
    if (resolved.resource.resourceType !== 'Patient') {
      return undefined;
    }
    const entry = reading.patients.find((patient) => patient.resource === resolved.resource);
    return entry?.sourceId;
  }
  return resolved.found === 'elsewhere' && resolved.resourceType === 'Patient'
    ? resolved.id
    : undefined;
}

function medicationAt(
  reading: FhirBodyReading,
  located: Located<FhirResource>,
  reference: string,
): Medication | undefined {
  const resolved = resolveIn(reading, located, reference);
  return resolved.found === 'bundle' && resolved.resource.resourceType === 'Medication'
    ? resolved.resource
    : undefined;
}

function resolveIn(reading: FhirBodyReading, located: Located<FhirResource>, reference: string) {
  return resolveReference(reference, {
    fullUrl: located.fullUrl,
    index: reading.index,
    contained: (located.resource as { contained?: FhirResource[] }).contained,
  });
}

// A rule broken deep in a Bundle is only actionable with its place: the reader names the field
// within the resource, and this puts the entry in front of it.
function withFieldPath<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!isAppError(error) || error.issues === undefined) {
      throw error;
    }
    throw new AppError(error.code, error.message, {
      cause: error,
      issues: error.issues.map((issue) => ({
        ...issue,
        field: issue.field === undefined ? path : `${path}.${issue.field}`,
      })),
    });
  }
}
