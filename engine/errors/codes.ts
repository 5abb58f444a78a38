/**
 * The one registry of Pathwell's error codes.
 *
 * A code is stable: clients, runbooks and the README's error table rely on it, so a code is never
 * renamed or reused for another meaning. `status` is the HTTP status the API answers with, `kind`
 * says who must act (see {@link ErrorKind}), and `title` is the short, constant RFC 9457 title.
 */
export const ERROR_CODES = {
  body_malformed_json: {
    status: 400,
    kind: 'user',
    title: 'The request body is not valid JSON',
  },
  body_not_fhir_resource: {
    status: 400,
    kind: 'user',
    title: 'The request body is not a FHIR resource',
  },
  body_too_large: { status: 413, kind: 'user', title: 'The request body is too large' },
  unsupported_media_type: {
    status: 415,
    kind: 'user',
    title: 'The request content type is not supported',
  },
  request_invalid: { status: 400, kind: 'user', title: 'The request is not valid' },
  appointment_patient_missing: {
    status: 422,
    kind: 'user',
    title: 'The appointment has no patient participant',
  },
  appointment_start_invalid: {
    status: 422,
    kind: 'user',
    title: 'The appointment start is not a valid date-time',
  },
  journey_invalid: { status: 422, kind: 'user', title: 'The journey breaks one or more rules' },
  journey_document_malformed: {
    status: 400,
    kind: 'user',
    title: 'The journey document is malformed',
  },
  journey_not_found: { status: 404, kind: 'user', title: 'No journey has that id' },
  route_not_found: { status: 404, kind: 'user', title: 'No route matches this request' },
  loopback_only: {
    status: 403,
    kind: 'user',
    title: 'This route answers requests from this machine only',
  },
  webhook_signature_required: {
    status: 401,
    kind: 'user',
    title: 'The webhook request is not signed',
  },
  config_invalid: { status: 500, kind: 'user', title: 'The configuration is not valid' },
  insecure_transport_config: {
    status: 500,
    kind: 'user',
    title: 'The SMTP transport could send without verified TLS',
  },
  temporal_cli_missing: {
    status: 500,
    kind: 'operational',
    title: 'The temporal CLI could not be found or built',
  },
  template_render_failed: {
    status: 422,
    kind: 'user',
    title: 'The message template could not be rendered',
  },
  min_necessary_violation: {
    status: 422,
    kind: 'user',
    title: 'The template uses a variable it did not declare',
  },
  smtp_transient_failure: {
    status: 503,
    kind: 'operational',
    title: 'The SMTP peer answered with a temporary failure',
  },
  dependency_unavailable: {
    status: 503,
    kind: 'operational',
    title: 'A service Pathwell depends on is unavailable',
  },
  // EHR ingestion: registered sources, signatures, HL7 v2 and FHIR beyond appointments.
  webhook_signature_invalid: {
    status: 401,
    kind: 'user',
    title: 'The webhook signature does not match',
  },
  webhook_timestamp_stale: {
    status: 401,
    kind: 'user',
    title: 'The webhook timestamp is outside the accepted window',
  },
  webhook_source_unknown: {
    status: 401,
    kind: 'user',
    title: 'No registered source has that name or token',
  },
  rate_limited: { status: 429, kind: 'user', title: 'Too many requests from this source' },
  hl7_message_malformed: { status: 400, kind: 'user', title: 'The HL7 v2 message cannot be read' },
  hl7_field_invalid: { status: 400, kind: 'user', title: 'An HL7 v2 field is missing or invalid' },
  resource_subject_missing: {
    status: 422,
    kind: 'user',
    title: 'The resource names no patient',
  },
  resource_date_invalid: {
    status: 422,
    kind: 'user',
    title: 'A date in the resource is not valid',
  },
  resource_shape_invalid: {
    status: 422,
    kind: 'user',
    title: 'A field of the resource does not have its FHIR R4 type',
  },
  source_not_found: { status: 404, kind: 'user', title: 'No registered source has that name' },
  source_exists: {
    status: 409,
    kind: 'user',
    title: 'A source with that name is already registered',
  },
  internal_error: { status: 500, kind: 'unexpected', title: 'Something went wrong on our side' },
  // Compliance core (consent, suppression, portal, audit).
  capability_unknown_deferred: {
    status: 503,
    kind: 'operational',
    title: "The recipient domain's TLS posture is unknown; the send is deferred",
  },
  patient_not_found: { status: 404, kind: 'user', title: 'No patient has that id' },
  authorization_not_found: { status: 404, kind: 'user', title: 'No authorization has that id' },
  authorization_retained: {
    status: 409,
    kind: 'user',
    title: 'Authorizations and revocations are retained and cannot be deleted',
  },
  unsubscribe_token_unknown: {
    status: 404,
    kind: 'user',
    title: 'The unsubscribe link is not known',
  },
  csv_invalid: { status: 400, kind: 'user', title: 'The CSV file is not valid' },
  // Journeys API, events API and manual runs.
  version_not_found: {
    status: 404,
    kind: 'user',
    title: 'The journey has no version with that id',
  },
  journey_not_published: {
    status: 409,
    kind: 'user',
    title: 'The journey has no published version',
  },
  journey_trigger_mismatch: {
    status: 409,
    kind: 'user',
    title: 'The journey is not started this way',
  },
  patient_not_in_directory: {
    status: 422,
    kind: 'user',
    title: 'No patient in the directory has that id',
  },
  event_patient_unresolved: {
    status: 422,
    kind: 'user',
    title: 'The event does not say which patient it is about',
  },
  event_data_invalid: {
    status: 422,
    kind: 'user',
    title: 'The event data does not match its type',
  },
  idempotency_key_reused: {
    status: 409,
    kind: 'user',
    title: 'The idempotency key was used for a different event',
  },
  // Compliance core, part two (PGP keys, bounces, address verification).
  pgp_key_malformed: {
    status: 422,
    kind: 'user',
    title: 'The key is not an OpenPGP public key',
  },
  verification_token_unknown: {
    status: 404,
    kind: 'user',
    title: 'The verification link is not known or has expired',
  },
  // Access control.
  authentication_required: {
    status: 401,
    kind: 'user',
    title: 'Sign in or send an API token',
  },
  session_expired: { status: 401, kind: 'user', title: 'The session has expired' },
  role_forbidden: {
    status: 403,
    kind: 'user',
    title: 'Your role does not allow this',
  },
  csrf_token_invalid: {
    status: 403,
    kind: 'user',
    title: 'The CSRF token is missing or does not match the session',
  },
  sign_in_failed: { status: 401, kind: 'user', title: 'The email or password is not right' },
  sign_in_locked: {
    status: 429,
    kind: 'user',
    title: 'Too many failed sign-ins; the account is locked for a while',
  },
  setup_token_unknown: {
    status: 404,
    kind: 'user',
    title: 'The setup link is not known, was used, or has expired',
  },
  password_weak: { status: 422, kind: 'user', title: 'The password is too short' },
  user_exists: { status: 409, kind: 'user', title: 'A user with that email exists' },
  user_not_found: { status: 404, kind: 'user', title: 'No user has that id' },
  mfa_required: {
    status: 401,
    kind: 'user',
    title: 'A second factor is needed: a TOTP or recovery code',
  },
  mfa_code_invalid: { status: 401, kind: 'user', title: 'The TOTP or recovery code is not right' },
  passkey_invalid: {
    status: 401,
    kind: 'user',
    title: 'The passkey, its challenge or its signature could not be verified',
  },
  api_token_not_found: { status: 404, kind: 'user', title: 'No API token has that id' },
  audit_actor_missing: {
    status: 500,
    kind: 'unexpected',
    title: 'An audit row without an actor was refused',
  },
  run_not_found: { status: 404, kind: 'user', title: 'No run has that id' },
  run_not_failed: { status: 409, kind: 'user', title: 'The run has not failed' },
  run_not_running: { status: 409, kind: 'user', title: 'The run is not running' },
  replay_job_not_found: { status: 404, kind: 'user', title: 'No bulk replay has that id' },
  replay_step_missing: {
    status: 409,
    kind: 'user',
    title: 'The version to replay on has no step with the failed step id',
  },
} as const satisfies Record<string, ErrorCodeSpec>;

/**
 * Who must act on an error: `user` (bad input; fix the request), `operational` (a transient or
 * environmental fault; retry or fix the environment), `unexpected` (a bug; reported and logged
 * at error level).
 */
export const ERROR_KINDS = ['user', 'operational', 'unexpected'] as const;

/** Who must act on an error. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The fixed facts of one error code. */
export interface ErrorCodeSpec {
  status: number;
  kind: ErrorKind;
  title: string;
}

/** Every registered error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
