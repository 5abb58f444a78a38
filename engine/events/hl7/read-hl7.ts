import { DateTime } from 'luxon';
import type { DischargeData } from '../care-event.js';
import type { KnownAppointment } from '../fhir/appointment.js';
import type { IgnoreReason } from '../ignore-reasons.js';
import type { PrescriptionRecord } from '../ingest-plan.js';
import { firstSegment, type Hl7Message, read } from './er7.js';
import { type Hl7DateTime, type Hl7TimeContext, parseHl7DateTime } from './hl7-date-time.js';
import { hl7Error, type Hl7Location } from './hl7-errors.js';
import { assertHeaderComplete, type Hl7Header, readHeader } from './hl7-header.js';
import { type Hl7Patient, readHl7Patient } from './hl7-patient.js';

/** What a message asks Pathwell to do. Identifiers are raw (PHI): the planner keys them. */
export type Hl7Action =
  | {
      kind: 'appointment';
      /** The filler appointment id (SCH-2), else the placer's (SCH-1). */
      appointmentId: string;
      state: KnownAppointment;
      location?: string;
    }
  | {
      kind: 'discharge';
      visitId: string;
      discharge: Omit<DischargeData['discharge'], 'encounterId'>;
    }
  | { kind: 'patient' }
  | { kind: 'prescription'; orderId: string; record: PrescriptionRecord }
  | { kind: 'ignored'; reason: IgnoreReason };

/** An HL7 v2 message read into what Pathwell acts on. */
export interface Hl7Reading {
  header: Hl7Header;
  patient?: Hl7Patient;
  action: Hl7Action;
}

/** What reading a message needs besides the message. */
export interface Hl7ReadContext {
  orgTimeZone: string;
  /** When Pathwell received the message (ISO 8601). */
  receivedAt: string;
}

// Scheduling triggers by what they mean for the appointment: S12 new, S13 rescheduled, S14
// modified, S15 cancelled, S17 deleted, S26 the patient did not show up.
const SCHEDULED = new Set(['S12', 'S13', 'S14']);
const NOT_TAKING_PLACE: Record<string, string> = {
  S15: 'cancelled',
  S17: 'cancelled',
  S26: 'noshow',
};
const PATIENT_UPDATES = new Set(['A04', 'A08']);

/**
 * Reads one HL7 v2 message: ADT^A03 is a discharge, ADT^A04/A08 a patient registration or
 * update, SIU^S12–S15/S17/S26 an appointment's new state, RDE^O11 a prescription; any other
 * message is acknowledged and ignored.
 *
 * @throws AppError `hl7_field_invalid` (AE/AR) naming the offending field
 */
export function readHl7Message(message: Hl7Message, context: Hl7ReadContext): Hl7Reading {
  const header = readHeader(message);
  assertHeaderComplete(header);
  const time: Hl7TimeContext = {
    senderOffsetMinutes: header.senderOffsetMinutes,
    zone: context.orgTimeZone,
  };
  const event = `${header.type}^${header.trigger}`;
  const isScheduling =
    header.type === 'SIU' && (SCHEDULED.has(header.trigger) || header.trigger in NOT_TAKING_PLACE);
  const isKnown =
    event === 'ADT^A03' ||
    (header.type === 'ADT' && PATIENT_UPDATES.has(header.trigger)) ||
    isScheduling ||
    event === 'RDE^O11';
  if (!isKnown) {
    return { header, action: { kind: 'ignored', reason: 'message_type_unsupported' } };
  }

  const patient = readHl7Patient(message, context.receivedAt);
  if (isScheduling) {
    return { header, patient, action: readScheduling(message, header.trigger, time) };
  }
  if (event === 'ADT^A03') {
    return { header, patient, action: readDischarge(message, header, time, context) };
  }
  if (event === 'RDE^O11') {
    return { header, patient, action: readPharmacyOrder(message) };
  }
  return { header, patient, action: { kind: 'patient' } };
}

function readScheduling(message: Hl7Message, trigger: string, time: Hl7TimeContext): Hl7Action {
  const sch = firstSegment(message, 'SCH');
  const appointmentId = read(message, sch, 2) || read(message, sch, 1);
  if (appointmentId === '') {
    throw required(
      { segment: 'SCH', sequence: 1, field: 2 },
      'the filler (SCH-2) or placer (SCH-1) appointment id',
    );
  }
  const tq1 = firstSegment(message, 'TQ1');
  const ais = firstSegment(message, 'AIS');
  const startAt =
    tq1 === undefined ? { segment: 'SCH', field: 11, component: 4 } : { segment: 'TQ1', field: 7 };
  const startText = read(message, tq1, 7) || read(message, sch, 11, 4) || read(message, ais, 4);
  const start = instantOrDate(startText, time, { ...startAt, sequence: 1 });
  // A cancellation may leave the time out; a booking or a move cannot.
  if (start === undefined && SCHEDULED.has(trigger)) {
    throw required({ ...startAt, sequence: 1 }, 'the appointment start (TQ1-7)');
  }
  const endText = read(message, tq1, 8) || read(message, sch, 11, 5);
  const end = instantOrDate(endText, time, { segment: 'TQ1', sequence: 1, field: 8 });

  const ail = firstSegment(message, 'AIL');
  const place = [read(message, ail, 3, 2), read(message, ail, 3, 4)].filter((part) => part !== '');
  return {
    kind: 'appointment',
    appointmentId,
    state: {
      status: NOT_TAKING_PLACE[trigger] ?? 'booked',
      start: start === undefined ? undefined : valueText(start),
      end: end === undefined ? undefined : valueText(end),
    },
    ...(place.length === 0 ? {} : { location: place.join(', ') }),
  };
}

function readDischarge(
  message: Hl7Message,
  header: Hl7Header,
  time: Hl7TimeContext,
  context: Hl7ReadContext,
): Hl7Action {
  const pv1 = firstSegment(message, 'PV1');
  const evn = firstSegment(message, 'EVN');
  const visitId = read(message, pv1, 19) || read(message, pv1, 50) || `message:${header.controlId}`;
  const candidates: Array<{ text: string; at: Hl7Location; isExact: boolean }> = [
    { text: read(message, pv1, 45), at: { segment: 'PV1', sequence: 1, field: 45 }, isExact: true },
    { text: read(message, evn, 6), at: { segment: 'EVN', sequence: 1, field: 6 }, isExact: true },
    { text: read(message, evn, 2), at: { segment: 'EVN', sequence: 1, field: 2 }, isExact: false },
  ];
  const found = candidates
    .map((candidate) => ({
      ...candidate,
      value: instantOrDate(candidate.text, time, candidate.at),
    }))
    .find((candidate) => candidate.value !== undefined);
  const patientClass = read(message, pv1, 2);

  let at: string;
  let isApproximate = true;
  if (found?.value?.kind === 'instant') {
    at = found.value.utc;
    isApproximate = !found.isExact;
  } else if (found?.value?.kind === 'date') {
    at = toUtc(DateTime.fromISO(found.value.date, { zone: time.zone }));
  } else {
    at = toUtc(DateTime.fromISO(context.receivedAt));
  }
  return {
    kind: 'discharge',
    visitId,
    discharge: { at, isApproximate, ...(patientClass === '' ? {} : { class: patientClass }) },
  };
}

function readPharmacyOrder(message: Hl7Message): Hl7Action {
  const orc = firstSegment(message, 'ORC');
  const rxe = firstSegment(message, 'RXE');
  const orderId = read(message, orc, 2) || read(message, orc, 3) || read(message, rxe, 15);
  if (orderId === '') {
    throw required({ segment: 'ORC', sequence: 1, field: 2 }, 'the placer order number (ORC-2)');
  }
  const medication =
    read(message, rxe, 2, 2) || read(message, rxe, 2, 9) || read(message, rxe, 2, 1);
  const refills = Number.parseInt(read(message, rxe, 12), 10);
  return {
    kind: 'prescription',
    orderId,
    record: {
      ...(medication === '' ? {} : { medication }),
      ...(Number.isFinite(refills) ? { refillsAllowed: refills } : {}),
    },
  };
}

function instantOrDate(
  text: string,
  time: Hl7TimeContext,
  location: Hl7Location,
): Hl7DateTime | undefined {
  const parsed = parseHl7DateTime(text, time);
  if (parsed === 'invalid') {
    throw hl7Error(
      'hl7_field_invalid',
      `The date/time in ${location.segment}-${location.field} is not an HL7 DTM such as ` +
        '"20260131093000+0100".',
      { ack: 'AE', code: '102', location },
    );
  }
  return parsed;
}

function valueText(value: Hl7DateTime): string {
  return value.kind === 'instant' ? value.utc : value.date;
}

function required(location: Hl7Location, what: string) {
  return hl7Error('hl7_field_invalid', `The message lacks ${what}, which Pathwell needs.`, {
    ack: 'AE',
    code: '101',
    location,
  });
}

function toUtc(at: DateTime): string {
  return at.toUTC().toISO({ suppressMilliseconds: true }) as string;
}
