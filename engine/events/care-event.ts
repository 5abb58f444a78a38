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

/** Prescription facts carried by `prescription.renewal_due`. */
export interface PrescriptionData {
  prescription: {
    id: string;
    status: string;
    /**
     * The day a renewal is due (YYYY-MM-DD): the earlier of the end of the prescription's
     * validity and the day its supply runs out.
     */
    dueDate: string;
    /** The medication as the EHR names it; clinical PHI (S2). */
    medication?: string;
  };
}

/** Discharge facts carried by `patient.discharged`. */
export interface DischargeData {
  discharge: {
    /** The encounter or visit the patient was discharged from. */
    encounterId: string;
    /** When the patient was discharged, as a UTC instant. */
    at: string;
    /**
     * Whether `at` is an estimate: the EHR gave only a date, or no time at all (then `at` is
     * when the EHR last updated the encounter, or when Pathwell received it).
     */
    isApproximate: boolean;
    /** The encounter class code (IMP, EMER, …), when known. */
    class?: string;
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
