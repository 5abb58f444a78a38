-- Up Migration

-- Registered sources of EHR events. An HMAC source's secret is encrypted with the keyring
-- (Pathwell needs it back to check signatures); a bearer source's token is kept only as a
-- keyed hash. `mllp_peers` are the addresses its MLLP connections may come from.
CREATE TABLE sources (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  kind text NOT NULL CHECK (kind IN ('hmac', 'bearer')),
  secret bytea,
  token_hash text UNIQUE,
  mllp_peers text[] NOT NULL DEFAULT '{}',
  rate_limit_per_second integer CHECK (rate_limit_per_second > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz,
  CHECK ((kind = 'hmac' AND secret IS NOT NULL) OR (kind = 'bearer' AND token_hash IS NOT NULL))
);

-- Each body that produced events, stored once (encrypted) however many events it held, so a
-- run can be replayed from what the EHR actually sent. Runs get references, never the body.
CREATE TABLE hook_bodies (
  id uuid PRIMARY KEY,
  source text NOT NULL,
  sha256 text NOT NULL,
  content_type text NOT NULL,
  body bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, sha256)
);

ALTER TABLE inbox_events ADD COLUMN body_id uuid REFERENCES hook_bodies (id);

-- Signalling a subject's running runs, and checking whether a later cancellation overtook an
-- event still waiting to be dispatched, both look events up by subject.
CREATE INDEX inbox_events_subject ON inbox_events (source, subject_type, subject_id, received_at);

-- What Pathwell last knew of each prescription (FHIR MedicationRequest, HL7 RDE^O11), to tell
-- a renewal change from a redelivery. `record` holds the medication: encrypted, it is PHI.
CREATE TABLE prescriptions (
  source text NOT NULL,
  source_id text NOT NULL,
  patient_id uuid NOT NULL REFERENCES patients (id),
  status text NOT NULL,
  due_date text,
  record bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_id)
);

-- Down Migration

DROP TABLE prescriptions;
DROP INDEX inbox_events_subject;
ALTER TABLE inbox_events DROP COLUMN body_id;
DROP TABLE hook_bodies;
DROP TABLE sources;
