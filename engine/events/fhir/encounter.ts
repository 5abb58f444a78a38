import type { Encounter } from 'fhir/r4.js';
import { DateTime } from 'luxon';
import { AppError } from '../../errors/app-error.js';
import { parseFhirDateTime } from '../../schedule/fhir-date-time.js';
import type { DischargeData } from '../care-event.js';
import type { IgnoreReason } from '../ignore-reasons.js';

/** What an Encounter means for journeys. */
export type EncounterReading =
  | {
      kind: 'event';
      data: DischargeData;
      /** The reference of the subject, to be resolved to a Patient by the caller. */
      subjectReference: string;
      occurredAt: string;
    }
  | { kind: 'ignored'; reason: IgnoreReason };

/** What reading an Encounter needs besides the resource. */
export interface EncounterContext {
  /** The organisation's zone, for date-only periods. */
  orgTimeZone: string;
  /** When Pathwell received the resource: the last resort for an undated discharge. */
  receivedAt: string;
}

// v3 ActCode encounter classes a patient is discharged from: inpatient (IMP, ACUTE, NONAC),
// emergency (EMER), observation (OBSENC) and short stay (SS).
const DISCHARGE_CLASSES = new Set(['IMP', 'ACUTE', 'NONAC', 'EMER', 'OBSENC', 'SS']);

/**
 * Reads an Encounter into a `patient.discharged` event, or says why it starts none.
 *
 * A `finished` encounter counts as a discharge when its class is inpatient or emergency, or
 * when it names a discharge disposition. The discharge instant is `period.end`; a date-only end
 * is the start of that day in the organisation's zone; with no end, `meta.lastUpdated` or the
 * time received. The last two, and date-only ends, are marked approximate.
 *
 * @throws AppError `resource_subject_missing` or `resource_date_invalid` (422)
 */
export function readEncounter(encounter: Encounter, context: EncounterContext): EncounterReading {
  if (encounter.status !== 'finished') {
    return { kind: 'ignored', reason: 'encounter_not_finished' };
  }
  const classCode = encounter.class?.code;
  const hasDisposition = encounter.hospitalization?.dischargeDisposition !== undefined;
  if (!hasDisposition && (classCode === undefined || !DISCHARGE_CLASSES.has(classCode))) {
    return { kind: 'ignored', reason: 'encounter_not_discharge' };
  }
  const subjectReference = encounter.subject?.reference;
  if (subjectReference === undefined) {
    throw new AppError(
      'resource_subject_missing',
      `Encounter "${encounter.id ?? '(no id)'}" has no subject; set subject.reference to "Patient/<id>".`,
      { issues: [{ code: 'resource_subject_missing', message: 'No subject', field: 'subject' }] },
    );
  }

  const discharged = dischargeInstant(encounter, context);
  return {
    kind: 'event',
    data: {
      discharge: {
        encounterId: encounter.id ?? '',
        at: discharged.at,
        isApproximate: discharged.isApproximate,
        ...(classCode === undefined ? {} : { class: classCode }),
      },
    },
    subjectReference,
    occurredAt: discharged.at,
  };
}

function dischargeInstant(
  encounter: Encounter,
  context: EncounterContext,
): { at: string; isApproximate: boolean } {
  const end = encounter.period?.end;
  if (end !== undefined) {
    const parsed = parseFhirDateTime(end);
    if (!parsed.ok) {
      throw new AppError(
        'resource_date_invalid',
        `Encounter "${encounter.id ?? '(no id)'}" period.end is not a FHIR date or a dateTime with an offset.`,
        {
          issues: [{ code: 'resource_date_invalid', message: parsed.problem, field: 'period.end' }],
        },
      );
    }
    if (parsed.value.kind === 'instant') {
      return { at: parsed.value.utc, isApproximate: false };
    }
    const startOfDay = DateTime.fromISO(parsed.value.date, { zone: context.orgTimeZone });
    return { at: toUtc(startOfDay), isApproximate: true };
  }

  const updated = parseFhirDateTime(encounter.meta?.lastUpdated);
  if (updated.ok && updated.value.kind === 'instant') {
    return { at: updated.value.utc, isApproximate: true };
  }
  return { at: toUtc(DateTime.fromISO(context.receivedAt)), isApproximate: true };
}

function toUtc(at: DateTime): string {
  return at.toUTC().toISO({ suppressMilliseconds: true }) as string;
}
