/**
 * The CareEvent types Pathwell knows by name. A journey may also trigger on a custom type posted
 * to the events API; custom types follow {@link CARE_EVENT_TYPE_PATTERN}.
 */
export const KNOWN_CARE_EVENT_TYPES = [
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.confirmed',
  'prescription.renewal_due',
  'patient.discharged',
] as const;

/** A CareEvent type Pathwell knows by name. */
export type KnownCareEventType = (typeof KNOWN_CARE_EVENT_TYPES)[number];

/** What a custom CareEvent type must look like: dotted lower-case words. */
export const CARE_EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * What an event is about, as the EHR identifies it: the resource type and its id at the source.
 * Run ids are derived from the subject, so a subject must never hold PHI (EHR resource ids are
 * opaque keys, not names or record numbers).
 */
export interface EventSubject {
  resourceType: string;
  id: string;
}

/** Appointment facts carried by appointment events. Times are ISO 8601 as the EHR sent them. */
export interface AppointmentData {
  appointment: {
    id: string;
    status: string;
    start: string;
    end?: string;
    /** IANA zone from the FHIR timezone extension on the Appointment, when present. */
    timeZone?: string;
    /** Human-readable place, from the Location participant's display. */
    location?: string;
  };
}

/**
 * A normalised EHR event: what Pathwell's journeys react to.
 *
 * `data` holds only what journeys may use; the full resource stays in the encrypted inbox.
 */
export interface CareEvent {
  /** The inbox id of this event. */
  id: string;
  type: string;
  /** The registered source the event came from. */
  source: string;
  subject: EventSubject;
  /** Pathwell's opaque patient id (the patient directory's key), never an EHR identifier. */
  patientId: string;
  /** When the EHR says the event happened, else when Pathwell received it (ISO 8601). */
  occurredAt: string;
  data: Record<string, unknown>;
}
