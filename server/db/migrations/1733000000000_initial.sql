-- Up Migration

-- Journeys as designers edit them, and the immutable versions publishing freezes.
CREATE TABLE journeys (
  id text PRIMARY KEY,
  name text NOT NULL,
  draft jsonb NOT NULL,
  published_version_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE journey_versions (
  id text PRIMARY KEY,
  journey_id text NOT NULL REFERENCES journeys (id),
  version integer NOT NULL,
  graph jsonb NOT NULL,
  plan jsonb NOT NULL,
  plan_hash text NOT NULL,
  trigger_event_type text,
  published_by text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (journey_id, version)
);

ALTER TABLE journeys
  ADD CONSTRAINT journeys_published_version_fk
  FOREIGN KEY (published_version_id) REFERENCES journey_versions (id);

CREATE INDEX journey_versions_trigger ON journey_versions (trigger_event_type);

-- The patient directory. `record` is the normalised PatientRecord, encrypted (it is PHI).
CREATE TABLE patients (
  id uuid PRIMARY KEY,
  source text NOT NULL,
  source_id text NOT NULL,
  record bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, source_id)
);

-- What Pathwell last knew of each appointment, to tell a change from a redelivery.
CREATE TABLE appointments (
  source text NOT NULL,
  source_id text NOT NULL,
  patient_id uuid NOT NULL REFERENCES patients (id),
  status text NOT NULL,
  starts_at text,
  ends_at text,
  patient_status text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_id)
);

-- Every accepted event, written before the webhook answers. `event` is the CareEvent,
-- encrypted; `dispatch` records the runs it started, so a redelivery can answer the same.
CREATE TABLE inbox_events (
  id uuid PRIMARY KEY,
  source text NOT NULL,
  idempotency_key text NOT NULL,
  type text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  patient_id uuid NOT NULL REFERENCES patients (id),
  event bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  dispatch_state text NOT NULL DEFAULT 'pending'
    CHECK (dispatch_state IN ('pending', 'dispatched')),
  dispatch jsonb,
  dispatched_at timestamptz,
  UNIQUE (source, idempotency_key)
);

CREATE INDEX inbox_events_pending ON inbox_events (received_at) WHERE dispatch_state = 'pending';

-- Pathwell's own record of runs, beside Temporal's: opaque ids only.
CREATE TABLE runs (
  workflow_id text PRIMARY KEY,
  journey_id text NOT NULL REFERENCES journeys (id),
  version_id text NOT NULL REFERENCES journey_versions (id),
  event_id uuid NOT NULL REFERENCES inbox_events (id),
  patient_id uuid NOT NULL REFERENCES patients (id),
  status text NOT NULL DEFAULT 'running',
  outcome text,
  reason text,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);

CREATE TABLE run_steps (
  workflow_id text NOT NULL REFERENCES runs (workflow_id),
  seq integer NOT NULL,
  step_id text NOT NULL,
  kind text NOT NULL,
  outcome text NOT NULL,
  reason text,
  at timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, seq)
);

-- Channel opt-outs: a patient who asked for no email gets none for the purposes listed.
CREATE TABLE channel_opt_outs (
  patient_id uuid NOT NULL REFERENCES patients (id),
  channel text NOT NULL CHECK (channel IN ('email')),
  purpose text NOT NULL CHECK (purpose IN ('treatment', 'operations', 'marketing', 'all')),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, channel, purpose)
);

-- The delivery ledger: one row per run and step, written before DATA and completed on 250, so a
-- retried or replayed send never sends what the peer already accepted.
CREATE TABLE deliveries (
  id uuid PRIMARY KEY,
  workflow_id text NOT NULL,
  step_id text NOT NULL,
  message_id text NOT NULL,
  state text NOT NULL
    CHECK (state IN ('in_flight', 'accepted', 'deferred', 'blocked', 'rejected')),
  attempts integer NOT NULL DEFAULT 0,
  resent_after_unknown boolean NOT NULL DEFAULT false,
  method text,
  reason text,
  recipient_domain text,
  recipient_hash text,
  mime_sha256 text,
  smtp_code integer,
  tls jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, step_id)
);

-- The audit trail: append-only, each row chained to the one before by hash.
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  ts timestamptz NOT NULL,
  actor_id text NOT NULL,
  actor_type text NOT NULL,
  action text NOT NULL,
  decision text,
  reason text,
  patient_id uuid,
  journey_id text,
  version_id text,
  workflow_id text,
  step_id text,
  message_id text,
  purpose text,
  method text,
  recipient_domain text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);

-- The newest row of the chain. Appending locks it, which serialises writers so no two rows ever
-- chain to the same predecessor.
CREATE TABLE audit_head (
  id smallint PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

CREATE INDEX audit_events_workflow ON audit_events (workflow_id);
CREATE INDEX audit_events_patient ON audit_events (patient_id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Down Migration

DROP TABLE audit_head;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE deliveries;
DROP TABLE channel_opt_outs;
DROP TABLE run_steps;
DROP TABLE runs;
DROP TABLE inbox_events;
DROP TABLE appointments;
DROP TABLE patients;
ALTER TABLE journeys DROP CONSTRAINT journeys_published_version_fk;
DROP TABLE journey_versions;
DROP TABLE journeys;
