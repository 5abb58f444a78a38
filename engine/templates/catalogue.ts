import type { Sensitivity } from '../journey/vocabulary.js';

/** What kind of value a variable holds; `datetime` and `date` render in the patient's zone. */
export type VariableType = 'string' | 'datetime' | 'date' | 'number' | 'boolean';

/** One variable that conditions and templates may use. */
export interface VariableSpec {
  path: string;
  type: VariableType;
  /** COMPLIANCE.md's class of the value: a template's class is the highest of its variables. */
  sensitivity: Sensitivity;
  description: string;
  /** The event types that carry it; `all` for patient, organisation and link variables. */
  eventTypes: readonly string[] | 'all';
  /** Whether a condition may read it but a template may not render it (identifiers). */
  isConditionOnly?: boolean;
  /** A value for previews and the simulator. Not real data. */
  example: string | number | boolean;
}

const APPOINTMENT_EVENTS = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.confirmed',
  'appointment.cancelled',
] as const;

/** Every variable Pathwell knows, by path. */
export const VARIABLES: readonly VariableSpec[] = [
  {
    path: 'patient.firstName',
    type: 'string',
    sensitivity: 'S1',
    description: "The patient's first given name",
    eventTypes: 'all',
    example: 'Alex',
  },
  {
    path: 'patient.lastName',
    type: 'string',
    sensitivity: 'S1',
    description: "The patient's family name",
    eventTypes: 'all',
    example: 'Rivera',
  },
  {
    path: 'patient.displayName',
    type: 'string',
    sensitivity: 'S1',
    description: "The patient's whole name as one string",
    eventTypes: 'all',
    example: 'Alex Rivera',
  },
  {
    path: 'patient.email',
    type: 'string',
    sensitivity: 'S1',
    description: "The patient's email address (conditions only: it is the recipient, not content)",
    eventTypes: 'all',
    isConditionOnly: true,
    example: 'alex@example.org',
  },
  {
    path: 'patient.timeZone',
    type: 'string',
    sensitivity: 'S0',
    description: "The patient's IANA time zone, or the organisation's when unknown",
    eventTypes: 'all',
    example: 'America/New_York',
  },
  {
    path: 'patient.language',
    type: 'string',
    sensitivity: 'S0',
    description: "The patient's preferred language (BCP 47), when the EHR sent one",
    eventTypes: 'all',
    example: 'en',
  },
  {
    path: 'organisation.name',
    type: 'string',
    sensitivity: 'S0',
    description: "The organisation's name, from configuration",
    eventTypes: 'all',
    example: 'Riverside Health',
  },
  {
    path: 'organisation.postalAddress',
    type: 'string',
    sensitivity: 'S0',
    description: "The organisation's postal address (required in marketing email)",
    eventTypes: 'all',
    example: '1 Main Street, Springfield, MA 01101',
  },
  {
    path: 'links.unsubscribe',
    type: 'string',
    sensitivity: 'S0',
    description: 'The one-click unsubscribe link (required in marketing email)',
    eventTypes: 'all',
    example: 'https://pathwell.example/u/token',
  },
  {
    path: 'appointment.start',
    type: 'datetime',
    sensitivity: 'S1',
    description: 'When the appointment starts',
    eventTypes: APPOINTMENT_EVENTS,
    example: '2026-12-10T14:00:00Z',
  },
  {
    path: 'appointment.end',
    type: 'datetime',
    sensitivity: 'S1',
    description: 'When the appointment ends',
    eventTypes: APPOINTMENT_EVENTS,
    example: '2026-12-10T14:30:00Z',
  },
  {
    path: 'appointment.location',
    type: 'string',
    sensitivity: 'S1',
    description: 'Where the appointment is, as the EHR names the place',
    eventTypes: APPOINTMENT_EVENTS,
    example: 'South Wing, second floor',
  },
  {
    path: 'appointment.status',
    type: 'string',
    sensitivity: 'S0',
    description: 'The FHIR appointment status (booked, cancelled, …)',
    eventTypes: APPOINTMENT_EVENTS,
    example: 'booked',
  },
];

// Discharge and renewal events: EHR ingestion fills these from Encounter and MedicationRequest.
// A stay's class and disposition and a medication's name say something clinical: S2.
const DISCHARGE_EVENTS = ['patient.discharged'] as const;
const RENEWAL_EVENTS = ['prescription.renewal_due'] as const;

/** Variables of discharge and prescription-renewal events. */
export const CLINICAL_EVENT_VARIABLES: readonly VariableSpec[] = [
  {
    path: 'encounter.start',
    type: 'datetime',
    sensitivity: 'S1',
    description: 'When the stay or visit began',
    eventTypes: DISCHARGE_EVENTS,
    example: '2026-12-01T08:00:00Z',
  },
  {
    path: 'encounter.end',
    type: 'datetime',
    sensitivity: 'S1',
    description: 'When the patient was discharged',
    eventTypes: DISCHARGE_EVENTS,
    example: '2026-12-04T15:30:00Z',
  },
  {
    path: 'encounter.class',
    type: 'string',
    sensitivity: 'S2',
    description: 'The kind of stay (inpatient, emergency, ambulatory, …)',
    eventTypes: DISCHARGE_EVENTS,
    example: 'inpatient',
  },
  {
    path: 'encounter.dischargeDisposition',
    type: 'string',
    sensitivity: 'S2',
    description: 'Where the patient went on discharge (home, a care facility, …)',
    eventTypes: DISCHARGE_EVENTS,
    example: 'home',
  },
  {
    path: 'prescription.medication',
    type: 'string',
    sensitivity: 'S2',
    description: 'The medication to renew, as the EHR names it',
    eventTypes: RENEWAL_EVENTS,
    example: 'Lisinopril 10 mg tablet',
  },
  {
    path: 'prescription.dueDate',
    type: 'date',
    sensitivity: 'S1',
    description: 'The day the current supply runs out',
    eventTypes: RENEWAL_EVENTS,
    example: '2026-12-20',
  },
];

const BY_PATH = new Map(
  [...VARIABLES, ...CLINICAL_EVENT_VARIABLES].map((spec) => [spec.path, spec]),
);

/**
 * The variable at a path if the event type carries it.
 *
 * @param path - e.g. `appointment.start`
 * @param eventType - the journey trigger's event type; `undefined` for schedule and manual
 *   triggers, which carry no event data
 */
export function findVariable(
  path: string,
  eventType: string | undefined,
): VariableSpec | undefined {
  const spec = BY_PATH.get(path);
  if (spec === undefined) {
    return undefined;
  }
  if (spec.eventTypes === 'all') {
    return spec;
  }
  return eventType !== undefined && spec.eventTypes.includes(eventType) ? spec : undefined;
}

/** Every variable an event type carries, for autocomplete. */
export function variablesFor(eventType: string | undefined): VariableSpec[] {
  return [...BY_PATH.values()].filter((spec) => findVariable(spec.path, eventType) !== undefined);
}
