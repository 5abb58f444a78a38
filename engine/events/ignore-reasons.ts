/**
 * Why valid input started nothing. The EHR did nothing wrong, so these are acknowledged (202)
 * and listed in the answer's `ignored` member; the README lists them.
 */
export const IGNORE_REASONS = {
  resource_type_unsupported: 'Pathwell has no journeys for this resource type',
  appointment_proposed: 'The appointment is only proposed; a booking will follow',
  appointment_status_not_actionable:
    'The appointment status (arrived, fulfilled, checked-in, waitlist) starts no reminder',
  patient_unknown: 'The patient is neither in the body nor in the patient directory',
  no_change: 'Pathwell already knows this appointment with the same status and times',
} as const;

/** Why valid input started nothing. */
export type IgnoreReason = keyof typeof IGNORE_REASONS;
