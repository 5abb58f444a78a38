/**
 * What Pathwell keeps about a patient in its directory: the contact facts journeys need, read
 * from the EHR. Every field is PHI except `timeZone` and `language`; the directory stores the
 * record encrypted and it never travels through Temporal history in plaintext.
 */
export interface PatientRecord {
  /** The patient's id at the source, e.g. the FHIR Patient id. */
  sourceId: string;
  firstName?: string;
  lastName?: string;
  /** The name as one string, for greetings when the parts are missing. */
  displayName?: string;
  /** The best current, syntactically valid email address, if any. */
  email?: string;
  /** IANA zone from the FHIR timezone extension, when the EHR sent one. */
  timeZone?: string;
  /** Preferred language (BCP 47), from `communication.preferred`. */
  language?: string;
  deceased: boolean;
  birthDate?: string;
}

/** A record's values by the variable paths conditions and templates use (`patient.email`, …). */
export function patientFieldValues(record: PatientRecord | undefined): Record<string, unknown> {
  return {
    'patient.firstName': record?.firstName,
    'patient.lastName': record?.lastName,
    'patient.displayName': record?.displayName,
    'patient.email': record?.email,
    'patient.language': record?.language,
  };
}
