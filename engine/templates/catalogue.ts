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

const PRESCRIPTION_EVENTS = ['prescription.renewal_due'] as const;
const DISCHARGE_EVENTS = ['patient.discharged'] as const;

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
  // EHR ingestion: prescriptions and discharges.
  {
    path: 'prescription.dueDate',
    type: 'date',
    sensitivity: 'S1',
    description:
      'The day a renewal is due: the earlier of the end of validity and the day the supply runs out',
    eventTypes: PRESCRIPTION_EVENTS,
    example: '2026-12-10',
  },
  {
    path: 'prescription.medication',
    type: 'string',
    sensitivity: 'S2',
    description: 'The medication as the EHR names it (clinical PHI)',
    eventTypes: PRESCRIPTION_EVENTS,
    example: 'Lisinopril 10 mg tablet',
  },
  {
    path: 'prescription.status',
    type: 'string',
    sensitivity: 'S0',
    description: 'The prescription status (active)',
    eventTypes: PRESCRIPTION_EVENTS,
    example: 'active',
  },
  {
    path: 'discharge.at',
    type: 'datetime',
    sensitivity: 'S1',
    description: 'When the patient was discharged (an estimate when discharge.isApproximate)',
    eventTypes: DISCHARGE_EVENTS,
    example: '2026-12-08T15:30:00Z',
  },
  {
    path: 'discharge.class',
    type: 'string',
    sensitivity: 'S2',
    description: 'The encounter class the patient was discharged from (IMP, EMER, …)',
    eventTypes: DISCHARGE_EVENTS,
    example: 'IMP',
  },
  {
    path: 'discharge.isApproximate',
    type: 'boolean',
    sensitivity: 'S0',
    description: 'Whether the EHR gave only a date, or no time at all, for the discharge',
    eventTypes: DISCHARGE_EVENTS,
    example: false,
  },
];

const BY_PATH = new Map(VARIABLES.map((spec) => [spec.path, spec]));

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
