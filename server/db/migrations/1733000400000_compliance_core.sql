-- Up Migration

-- Contact points a patient or staff recorded (EHR addresses live in the patient record). An
-- address is PHI: sealed, with a keyed hash for lookup.
CREATE TABLE contact_points (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patients (id),
  channel text NOT NULL CHECK (channel IN ('email')),
  address bytea NOT NULL,
  address_hash text NOT NULL,
  source text NOT NULL CHECK (source IN ('patient', 'staff', 'import')),
  verified_at timestamptz,
  is_primary boolean NOT NULL DEFAULT true,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, address_hash)
);

-- What the patient asked for about email, as versions: the newest is in force.
CREATE TABLE communication_preferences (
  patient_id uuid NOT NULL REFERENCES patients (id),
  version integer NOT NULL,
  preference text NOT NULL
    CHECK (preference IN ('any', 'e2e', 'portal_only', 'unencrypted_accepted', 'no_email')),
  warning_text_version text,
  accepted_at timestamptz,
  acceptance_method text CHECK (acceptance_method IN ('web', 'signed', 'verbal')),
  staff_id text,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, version)
);

-- Confidential-communication requests (45 CFR 164.522(b)): another channel or address for PHI.
CREATE TABLE confidential_requests (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patients (id),
  channel text NOT NULL CHECK (channel IN ('email', 'postal', 'phone', 'portal')),
  address bytea,
  effective_from timestamptz NOT NULL,
  ended_at timestamptz,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX confidential_requests_patient ON confidential_requests (patient_id);

-- Agreed restrictions (45 CFR 164.522(a)) on an EHR subject (an encounter, an appointment).
CREATE TABLE restrictions (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patients (id),
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  agreed_at timestamptz NOT NULL,
  ended_at timestamptz,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX restrictions_patient ON restrictions (patient_id);

-- HIPAA marketing authorizations: immutable versions, and revocations, never updated or deleted.
CREATE TABLE marketing_authorizations (
  id uuid NOT NULL,
  version integer NOT NULL,
  patient_id uuid NOT NULL REFERENCES patients (id),
  document jsonb NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
CREATE INDEX marketing_authorizations_patient ON marketing_authorizations (patient_id);

CREATE TABLE authorization_revocations (
  authorization_id uuid PRIMARY KEY,
  revoked_at timestamptz NOT NULL,
  method text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION pathwell_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is immutable: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER marketing_authorizations_immutable
  BEFORE UPDATE OR DELETE ON marketing_authorizations
  FOR EACH ROW EXECUTE FUNCTION pathwell_immutable();
CREATE TRIGGER authorization_revocations_immutable
  BEFORE UPDATE OR DELETE ON authorization_revocations
  FOR EACH ROW EXECUTE FUNCTION pathwell_immutable();
CREATE TRIGGER communication_preferences_immutable
  BEFORE UPDATE OR DELETE ON communication_preferences
  FOR EACH ROW EXECUTE FUNCTION pathwell_immutable();

-- Suppressions by address (sealed, with a keyed hash). Nothing in Pathwell deletes one.
CREATE TABLE suppressions (
  id uuid PRIMARY KEY,
  address_hash text NOT NULL,
  address bytea NOT NULL,
  scope text NOT NULL CHECK (scope IN ('global', 'commercial', 'treatment')),
  cause text NOT NULL
    CHECK (cause IN ('hard_bounce', 'soft_bounce', 'unsubscribe', 'complaint', 'opt_out',
                     'legal_hold', 'import')),
  source text NOT NULL,
  patient_id uuid REFERENCES patients (id),
  message_id text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppressions_address ON suppressions (address_hash);

CREATE TRIGGER suppressions_no_delete
  BEFORE UPDATE OR DELETE ON suppressions
  FOR EACH ROW EXECUTE FUNCTION pathwell_immutable();

-- One-click unsubscribe tokens: random, stored hashed, each bound to one address.
CREATE TABLE unsubscribe_tokens (
  token_hash text PRIMARY KEY,
  address_hash text NOT NULL,
  address bytea NOT NULL,
  patient_id uuid REFERENCES patients (id),
  message_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz
);

-- Secure-portal messages: the body sealed with a per-message key wrapped by the key provider.
CREATE TABLE portal_messages (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  patient_id uuid NOT NULL REFERENCES patients (id),
  workflow_id text NOT NULL,
  step_id text NOT NULL,
  message_id text NOT NULL,
  address bytea NOT NULL,
  content bytea NOT NULL,
  wrapped_key bytea NOT NULL,
  otp_hash text,
  otp_expires_at timestamptz,
  otp_attempts integer NOT NULL DEFAULT 0,
  locked_at timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, step_id)
);

-- Signed checkpoints of the audit chain's head, so deleting the newest rows is detectable.
CREATE TABLE audit_checkpoints (
  seq bigint PRIMARY KEY,
  hash text NOT NULL,
  row_count bigint NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);

CREATE TRIGGER audit_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION pathwell_immutable();

-- The ledger keeps the envelope id bounces are correlated by, and portal deliveries.
ALTER TABLE deliveries ADD COLUMN envelope_id text;
CREATE INDEX deliveries_envelope ON deliveries (envelope_id);
CREATE INDEX deliveries_message ON deliveries (message_id);
CREATE INDEX audit_events_message ON audit_events (message_id);
CREATE INDEX audit_events_ts ON audit_events (ts);

-- Down Migration

DROP INDEX audit_events_ts;
DROP INDEX audit_events_message;
DROP INDEX deliveries_message;
DROP INDEX deliveries_envelope;
ALTER TABLE deliveries DROP COLUMN envelope_id;
DROP TABLE audit_checkpoints;
DROP TABLE portal_messages;
DROP TABLE unsubscribe_tokens;
DROP TABLE suppressions;
DROP TABLE authorization_revocations;
DROP TABLE marketing_authorizations;
DROP TABLE restrictions;
DROP TABLE confidential_requests;
DROP TABLE communication_preferences;
DROP TABLE contact_points;
DROP FUNCTION pathwell_immutable();
