import type { EventSubject } from './care-event.js';
import type { KnownAppointment } from './fhir/appointment.js';
import type { IgnoreReason } from './ignore-reasons.js';
import type { PatientRecord } from './patient-record.js';

/** A resource or message that started nothing, and why. */
export interface IgnoredResource {
  resourceType: string;
  id: string;
  reason: IgnoreReason;
}

/** What Pathwell remembers of a prescription, to tell a renewal change from a redelivery. */
export interface KnownPrescription {
  status: string;
  /** YYYY-MM-DD, when a due date could be computed. */
  dueDate?: string | undefined;
}

/**
 * Prescription data kept in the directory (encrypted: the medication is clinical PHI), from a
 * FHIR MedicationRequest or an HL7 RDE^O11.
 */
export interface PrescriptionRecord {
  medication?: string;
  /** Refills the prescriber allowed, when stated. */
  refillsAllowed?: number;
  /** Days one dispense lasts, when stated. */
  supplyDays?: number;
  authoredOn?: string;
}

/** A prescription to remember, with the patient it belongs to. */
export interface PlannedPrescription {
  sourceId: string;
  patientSourceId: string;
  state: KnownPrescription;
  record: PrescriptionRecord;
}

/** An event a body produces, ready for the inbox. */
export interface PlannedEvent {
  type: string;
  subject: EventSubject;
  /** The patient's id at the source; the server maps it to Pathwell's opaque patient id. */
  patientSourceId: string;
  data: Record<string, unknown>;
  /** When the EHR says it happened, if it says; otherwise the time received is used. */
  occurredAt?: string;
  /** Same resource version (or HL7 message), same key: a redelivery is recognised by it. */
  idempotencyKey: string;
  /** For appointment events: what to remember of the appointment afterwards. */
  appointmentState?: KnownAppointment;
}

/**
 * What one body (a FHIR resource or Bundle, an HL7 message) asks Pathwell to store and start.
 * The server writes all of it in one transaction, or none of it.
 */
export interface IngestPlan {
  patients: Array<{ sourceId: string; record: PatientRecord }>;
  events: PlannedEvent[];
  prescriptions: PlannedPrescription[];
  /** Events the inbox already holds: answered as duplicates, started again never. */
  redelivered: Array<{ resourceType: string; id: string; idempotencyKey: string }>;
  ignored: IgnoredResource[];
}

/** What the server looked up before planning. */
export interface IngestLookups {
  knownAppointments: ReadonlyMap<string, KnownAppointment>;
  knownPrescriptions: ReadonlyMap<string, KnownPrescription>;
  /** Source ids of patients already in the directory. */
  directoryPatients: ReadonlySet<string>;
  /** Idempotency keys the inbox already holds. */
  seenKeys: ReadonlySet<string>;
}

/** An empty plan, to fill. */
export function emptyPlan(): IngestPlan {
  return { patients: [], events: [], prescriptions: [], redelivered: [], ignored: [] };
}
