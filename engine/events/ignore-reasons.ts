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
  // EHR ingestion beyond appointments.
  prescription_not_active:
    'The prescription is not active (completed, on-hold, stopped, cancelled, …): nothing to renew',
  prescription_no_dispense_data:
    'The prescription has no dispense request to compute a renewal date from',
  prescription_unchanged:
    'Pathwell already knows this prescription with the same status and due date',
  encounter_not_finished: 'The encounter has not finished: no discharge yet',
  encounter_not_discharge:
    'The encounter finished, but it is neither inpatient nor emergency and names no discharge disposition',
  subscription_handshake: 'A subscription handshake: acknowledged, no event',
  subscription_heartbeat: 'A subscription heartbeat: acknowledged, no event',
  subscription_status: 'A subscription status notification without events',
  focus_not_found: 'The notification names a resource the FHIR server does not have',
  fhir_server_not_configured:
    'An id-only notification or unknown patient needs the FHIR server, and PATHWELL_FHIR_BASE_URL is unset',
  status_not_mapped: 'The resource type is mapped to an event, but not resources with this status',
  message_type_unsupported: 'Pathwell has no journeys for this HL7 v2 message type',
  patient_updated: 'Patient data was stored; this message starts no journey',
  prescription_updated: 'Prescription data was stored; this message starts no journey',
} as const;

/** Why valid input started nothing. */
export type IgnoreReason = keyof typeof IGNORE_REASONS;
