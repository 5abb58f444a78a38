import type { Appointment, AppointmentParticipant } from 'fhir/r4.js';
import { AppError } from '../../errors/app-error.js';
import { parseFhirDateTime } from '../../schedule/fhir-date-time.js';
import { isIanaZone } from '../../schedule/time-zone.js';
import type { AppointmentData } from '../care-event.js';
import type { IgnoreReason } from '../ignore-reasons.js';
import { timeZoneExtension } from './extensions.js';
import { objectsIn, stringOf } from './as-received.js';

/** What Pathwell remembers of an appointment it has seen, to tell a change from a redelivery. */
export interface KnownAppointment {
  status: string;
  /** UTC ISO instant, or a date for date-only starts. */
  start?: string | undefined;
  end?: string | undefined;
  patientStatus?: string | undefined;
}

/** What an Appointment means for journeys. */
export type AppointmentReading =
  | {
      kind: 'event';
      type:
        | 'appointment.booked'
        | 'appointment.rescheduled'
        | 'appointment.confirmed'
        | 'appointment.cancelled';
      data: AppointmentData;
      /** The reference of the patient participant, to be resolved by the caller. */
      patientReference: string;
      /** What to remember of the appointment after this event. */
      state: KnownAppointment;
    }
  | { kind: 'ignored'; reason: IgnoreReason };

const ACTIVE = new Set(['booked', 'pending']);
/** Appointment statuses that mean it will not take place. */
export const CANCELLED_STATUSES = new Set(['cancelled', 'noshow', 'entered-in-error']);

/**
 * Reads an Appointment into a CareEvent, or says why it starts nothing.
 *
 * @param appointment - the resource as received
 * @param isPatientReference - tells whether a participant's reference points at a Patient
 *   (a `urn:uuid` reference can only be told by looking it up in the Bundle)
 * @param known - what Pathwell already knows of this appointment, if anything
 * @throws AppError `appointment_patient_missing` or `appointment_start_invalid` (422)
 */
export function readAppointment(
  appointment: Appointment,
  isPatientReference: (reference: string) => boolean,
  known: KnownAppointment | undefined,
): AppointmentReading {
  const status = appointment.status;
  if (status === 'proposed') {
    return { kind: 'ignored', reason: 'appointment_proposed' };
  }
  if (!ACTIVE.has(status) && !CANCELLED_STATUSES.has(status)) {
    return { kind: 'ignored', reason: 'appointment_status_not_actionable' };
  }

  const participant = findPatientParticipant(appointment, isPatientReference);
  const patientReference = participant === undefined ? undefined : actorReferenceOf(participant);
  if (patientReference === undefined) {
    throw new AppError(
      'appointment_patient_missing',
      `Appointment "${appointment.id ?? '(no id)'}" has no participant whose actor references ` +
        'a Patient. Add a participant with actor.reference "Patient/<id>".',
      {
        issues: [
          { code: 'appointment_patient_missing', message: 'No patient', field: 'participant' },
        ],
      },
    );
  }

  const start = readStart(appointment, ACTIVE.has(status));
  const end = readOptionalInstant(appointment.end);
  const state: KnownAppointment = {
    status,
    start,
    end,
    patientStatus: participant?.status,
  };
  const type = classifyAppointment(state, known);
  if (type === undefined) {
    return { kind: 'ignored', reason: 'no_change' };
  }

  return { kind: 'event', type, data: toData(appointment, state), patientReference, state };
}

/**
 * An Appointment's participants as far as they are usable: a body is typed as FHIR but not
 * checked against it, so a `participant` that is missing, not an array, or holds non-objects
 * yields only the entries that are objects.
 */
export function participantsOf(appointment: Appointment): AppointmentParticipant[] {
  return objectsIn<AppointmentParticipant>(appointment.participant);
}

/** A participant's actor reference, when it is a string. */
export function actorReferenceOf(participant: AppointmentParticipant): string | undefined {
  return stringOf(participant.actor?.reference);
}

function findPatientParticipant(
  appointment: Appointment,
  isPatientReference: (reference: string) => boolean,
): AppointmentParticipant | undefined {
  return participantsOf(appointment).find((participant) => {
    const reference = actorReferenceOf(participant);
    return reference !== undefined && isPatientReference(reference);
  });
}

function readStart(appointment: Appointment, isRequired: boolean): string | undefined {
  if (appointment.start === undefined && !isRequired) {
    return undefined;
  }
  const parsed = parseFhirDateTime(appointment.start);
  if (!parsed.ok) {
    const why =
      parsed.problem === 'no_offset'
        ? 'has a time of day but no UTC offset (FHIR requires one, e.g. "+02:00" or "Z")'
        : 'is not a FHIR instant like "2026-01-31T09:00:00+01:00"';
    throw new AppError(
      'appointment_start_invalid',
      `Appointment "${appointment.id ?? '(no id)'}" start ${why}.`,
      { issues: [{ code: 'appointment_start_invalid', message: why, field: 'start' }] },
    );
  }
  return parsed.value.kind === 'instant' ? parsed.value.utc : parsed.value.date;
}

function readOptionalInstant(value: string | undefined): string | undefined {
  const parsed = value === undefined ? undefined : parseFhirDateTime(value);
  if (parsed === undefined || !parsed.ok) {
    return undefined;
  }
  return parsed.value.kind === 'instant' ? parsed.value.utc : parsed.value.date;
}

/**
 * The event an appointment's new state means against what Pathwell knew of it: new and active
 * is a booking, a start or end that moved is a reschedule, the patient turning `accepted` is a
 * confirmation, and the same state again is no event at all (`undefined`). HL7 scheduling
 * messages are classified by the same rules.
 */
export function classifyAppointment(
  state: KnownAppointment,
  known: KnownAppointment | undefined,
): Extract<AppointmentReading, { kind: 'event' }>['type'] | undefined {
  const isCancelled = CANCELLED_STATUSES.has(state.status);
  if (known === undefined) {
    return isCancelled ? 'appointment.cancelled' : 'appointment.booked';
  }

  const wasCancelled = CANCELLED_STATUSES.has(known.status);
  if (isCancelled) {
    return wasCancelled ? undefined : 'appointment.cancelled';
  }
  if (wasCancelled) {
    return 'appointment.booked';
  }
  if (state.start !== known.start || state.end !== known.end) {
    return 'appointment.rescheduled';
  }
  if (state.patientStatus === 'accepted' && known.patientStatus !== 'accepted') {
    return 'appointment.confirmed';
  }
  return undefined;
}

function toData(appointment: Appointment, state: KnownAppointment): AppointmentData {
  const timeZone = timeZoneExtension(appointment.extension, isIanaZone);
  const location = participantsOf(appointment).find((participant) =>
    actorReferenceOf(participant)?.startsWith('Location/'),
  )?.actor?.display;

  return {
    appointment: {
      id: appointment.id ?? '',
      status: state.status,
      start: state.start ?? '',
      ...(state.end === undefined ? {} : { end: state.end }),
      ...(timeZone === undefined ? {} : { timeZone }),
      ...(location === undefined ? {} : { location }),
    },
  };
}
