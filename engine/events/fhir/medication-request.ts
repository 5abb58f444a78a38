import type { CodeableConcept, Duration, Medication, MedicationRequest } from 'fhir/r4.js';
import { DateTime, type DurationLikeObject } from 'luxon';
import { AppError } from '../../errors/app-error.js';
import { parseFhirDateTime } from '../../schedule/fhir-date-time.js';
import type { PrescriptionData } from '../care-event.js';
import type { IgnoreReason } from '../ignore-reasons.js';
import type { KnownPrescription, PrescriptionRecord } from '../ingest-plan.js';
import { finiteNumberOf, stringOf } from './as-received.js';

/** What a MedicationRequest means for journeys. */
export type MedicationRequestReading =
  | {
      kind: 'event';
      data: PrescriptionData;
      /** The reference of the subject, to be resolved to a Patient by the caller. */
      subjectReference: string;
      state: KnownPrescription;
      record: PrescriptionRecord;
    }
  | { kind: 'ignored'; reason: IgnoreReason };

/** What reading a MedicationRequest needs besides the resource. */
export interface MedicationRequestContext {
  /** The organisation's zone: date-time values are turned into calendar days in it. */
  orgTimeZone: string;
  /** Finds the Medication a `medicationReference` points at (contained or in the Bundle). */
  resolveMedication: (reference: string) => Medication | undefined;
  known: KnownPrescription | undefined;
}

type SupplyUnit = keyof Pick<DurationLikeObject, 'hours' | 'days' | 'weeks' | 'months' | 'years'>;

// UCUM codes first, then the words EHRs put in `unit` when they leave out the code.
const SUPPLY_UNITS: Record<string, SupplyUnit> = {
  h: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  wk: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  mo: 'months',
  month: 'months',
  months: 'months',
  a: 'years',
  year: 'years',
  years: 'years',
};

/**
 * Reads a MedicationRequest into a `prescription.renewal_due` event, or says why it starts none.
 *
 * Only an `active` request with a dispense request is due for renewal. The due date is the
 * earlier of the end of `dispenseRequest.validityPeriod` and the day the supply runs out: the
 * dispense start (`validityPeriod.start`, else `authoredOn`) plus `expectedSupplyDuration` for
 * the first fill and each allowed repeat.
 *
 * @throws AppError `resource_subject_missing` or `resource_date_invalid` (422)
 */
// TODO: a prescription that later becomes stopped or completed is only reported as ignored;
// a renewal run already waiting for its due date is not cancelled. Signalling such runs (as an
// appointment cancellation is) needs a cancel rule for prescriptions in the journey engine.
export function readMedicationRequest(
  request: MedicationRequest,
  context: MedicationRequestContext,
): MedicationRequestReading {
  if (request.status !== 'active') {
    return { kind: 'ignored', reason: 'prescription_not_active' };
  }
  const dispense = request.dispenseRequest;
  if (dispense === undefined) {
    return { kind: 'ignored', reason: 'prescription_no_dispense_data' };
  }
  const subjectReference = request.subject?.reference;
  if (subjectReference === undefined) {
    throw new AppError(
      'resource_subject_missing',
      `MedicationRequest "${request.id ?? '(no id)'}" has no subject; set subject.reference to "Patient/<id>".`,
      { issues: [{ code: 'resource_subject_missing', message: 'No subject', field: 'subject' }] },
    );
  }

  const zone = context.orgTimeZone;
  const validityEnd = dayOf(
    dispense.validityPeriod?.end,
    zone,
    'dispenseRequest.validityPeriod.end',
  );
  const start =
    dayOf(dispense.validityPeriod?.start, zone, 'dispenseRequest.validityPeriod.start') ??
    dayOf(request.authoredOn, zone, 'authoredOn');
  const supplyEnd = supplyRunsOut(start, dispense.expectedSupplyDuration, dispense);
  const dueDate = [validityEnd, supplyEnd].filter((day) => day !== undefined).sort()[0];
  if (dueDate === undefined) {
    return { kind: 'ignored', reason: 'prescription_no_dispense_data' };
  }

  const state: KnownPrescription = { status: request.status, dueDate };
  if (context.known?.status === state.status && context.known.dueDate === state.dueDate) {
    return { kind: 'ignored', reason: 'prescription_unchanged' };
  }
  const medication = medicationName(request, context.resolveMedication);
  return {
    kind: 'event',
    data: {
      prescription: {
        id: request.id ?? '',
        status: request.status,
        dueDate,
        ...(medication === undefined ? {} : { medication }),
      },
    },
    subjectReference,
    state,
    record: recordOf(request, medication, dispense.expectedSupplyDuration),
  };
}

function supplyRunsOut(
  start: string | undefined,
  supply: Duration | undefined,
  dispense: NonNullable<MedicationRequest['dispenseRequest']>,
): string | undefined {
  const unitText = stringOf(supply?.unit)?.toLowerCase();
  const unit = SUPPLY_UNITS[stringOf(supply?.code) ?? unitText ?? ''];
  const amount = finiteNumberOf(supply?.value);
  if (start === undefined || unit === undefined || amount === undefined) {
    return undefined;
  }
  const fills = 1 + Math.max(0, finiteNumberOf(dispense.numberOfRepeatsAllowed) ?? 0);
  return DateTime.fromISO(start, { zone: 'UTC' })
    .plus({ [unit]: amount * fills })
    .toISODate() as string;
}

/** A FHIR date or dateTime as the calendar day it falls on in the zone. */
function dayOf(value: string | undefined, zone: string, field: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = parseFhirDateTime(value);
  if (!parsed.ok) {
    throw new AppError(
      'resource_date_invalid',
      `MedicationRequest ${field} is not a FHIR date such as "2026-01-31" or a dateTime with an offset.`,
      { issues: [{ code: 'resource_date_invalid', message: parsed.problem, field }] },
    );
  }
  return parsed.value.kind === 'date'
    ? parsed.value.date
    : (DateTime.fromISO(parsed.value.utc).setZone(zone).toISODate() as string);
}

function medicationName(
  request: MedicationRequest,
  resolve: (reference: string) => Medication | undefined,
): string | undefined {
  const direct = conceptName(request.medicationCodeableConcept);
  if (direct !== undefined) {
    return direct;
  }
  const reference = request.medicationReference;
  const resolved = reference?.reference === undefined ? undefined : resolve(reference.reference);
  return conceptName(resolved?.code) ?? (reference?.display?.trim() || undefined);
}

function conceptName(concept: CodeableConcept | undefined): string | undefined {
  const named = concept?.text ?? concept?.coding?.find((coding) => coding.display)?.display;
  return named?.trim() || undefined;
}

function recordOf(
  request: MedicationRequest,
  medication: string | undefined,
  supply: Duration | undefined,
): PrescriptionRecord {
  const refills = request.dispenseRequest?.numberOfRepeatsAllowed;
  const isDays = SUPPLY_UNITS[supply?.code ?? supply?.unit?.toLowerCase() ?? ''] === 'days';
  return {
    ...(medication === undefined ? {} : { medication }),
    ...(refills === undefined ? {} : { refillsAllowed: refills }),
    ...(isDays && typeof supply?.value === 'number' ? { supplyDays: supply.value } : {}),
    ...(request.authoredOn === undefined ? {} : { authoredOn: request.authoredOn }),
  };
}
