import type { AppointmentData } from '../care-event.js';
import { classifyAppointment } from '../fhir/appointment.js';
import { emptyPlan, type IngestLookups, type IngestPlan } from '../ingest-plan.js';
import type { Hl7Reading } from './read-hl7.js';

/**
 * Turns an identifier from a message (an MRN, an appointment or visit number) into an opaque
 * key. HL7 identifiers are PHI, unlike FHIR resource ids, so they never reach the database,
 * workflow ids or logs as they are; the server passes a keyed hash.
 */
export type OpaqueId = (
  kind: 'patient' | 'appointment' | 'visit' | 'order',
  value: string,
) => string;

/** The keys the server must look up before {@link planHl7Ingest} can decide. */
export function hl7LookupsNeeded(
  reading: Hl7Reading,
  opaqueId: OpaqueId,
): { appointmentIds: string[]; patientIds: string[]; idempotencyKeys: string[] } {
  const { action } = reading;
  return {
    appointmentIds:
      action.kind === 'appointment' ? [opaqueId('appointment', action.appointmentId)] : [],
    patientIds: reading.patient === undefined ? [] : [patientKey(reading, opaqueId)],
    idempotencyKeys: [hl7IdempotencyKey(reading)],
  };
}

/**
 * The idempotency key of a message: its control id (MSH-10), scoped to the sending application
 * and facility, where the standard makes it unique, and to the message type, so a sender that
 * reuses control ids across message types (as some test feeds do) is not mistaken for a
 * redelivery; a true redelivery always repeats its type.
 */
export function hl7IdempotencyKey(reading: Pick<Hl7Reading, 'header'>): string {
  const { sendingApplication, sendingFacility, controlId, type, trigger } = reading.header;
  return `HL7/${sendingApplication}^${sendingFacility}/${type}^${trigger}/${controlId}`;
}

/**
 * Decides what a message stores and starts. The patient of every message Pathwell reads is
 * stored (created or updated); scheduling messages are classified against what Pathwell knew of
 * the appointment, as FHIR Appointments are, so a booking for a known appointment at a new time
 * is a reschedule and a repeat with nothing changed starts nothing.
 */
export function planHl7Ingest(
  reading: Hl7Reading,
  lookups: IngestLookups,
  opaqueId: OpaqueId,
): IngestPlan {
  const plan = emptyPlan();
  const { header, action } = reading;
  const label = { resourceType: `${header.type}^${header.trigger}`, id: header.controlId };
  if (action.kind === 'ignored' || reading.patient === undefined) {
    plan.ignored.push({
      ...label,
      reason: action.kind === 'ignored' ? action.reason : 'patient_unknown',
    });
    return plan;
  }

  const patientSourceId = patientKey(reading, opaqueId);
  plan.patients.push({
    sourceId: patientSourceId,
    record: { ...reading.patient.record, sourceId: patientSourceId },
  });
  const idempotencyKey = hl7IdempotencyKey(reading);
  if (lookups.seenKeys.has(idempotencyKey)) {
    plan.redelivered.push({ ...label, idempotencyKey });
    return plan;
  }

  switch (action.kind) {
    case 'patient':
      plan.ignored.push({ ...label, reason: 'patient_updated' });
      return plan;
    case 'prescription':
      plan.prescriptions.push({
        sourceId: opaqueId('order', action.orderId),
        patientSourceId,
        state: { status: 'active' },
        record: action.record,
      });
      plan.ignored.push({ ...label, reason: 'prescription_updated' });
      return plan;
    case 'discharge': {
      const encounterId = opaqueId('visit', action.visitId);
      plan.events.push({
        type: 'patient.discharged',
        subject: { resourceType: 'Encounter', id: encounterId },
        patientSourceId,
        data: { discharge: { encounterId, ...action.discharge } },
        occurredAt: action.discharge.at,
        idempotencyKey,
      });
      return plan;
    }
    case 'appointment': {
      const id = opaqueId('appointment', action.appointmentId);
      const type = classifyAppointment(action.state, lookups.knownAppointments.get(id));
      if (type === undefined) {
        plan.ignored.push({ ...label, reason: 'no_change' });
        return plan;
      }
      const data: AppointmentData = {
        appointment: {
          id,
          status: action.state.status,
          start: action.state.start ?? '',
          ...(action.state.end === undefined ? {} : { end: action.state.end }),
          ...(action.location === undefined ? {} : { location: action.location }),
        },
      };
      plan.events.push({
        type,
        subject: { resourceType: 'Appointment', id },
        patientSourceId,
        data: { ...data },
        idempotencyKey,
        appointmentState: action.state,
      });
      return plan;
    }
  }
}

function patientKey(reading: Hl7Reading, opaqueId: OpaqueId): string {
  return `hl7:${opaqueId('patient', reading.patient?.identifier ?? '')}`;
}
