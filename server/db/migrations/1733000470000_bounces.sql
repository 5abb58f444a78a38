-- Up Migration

-- What happened to mail for an address, from SMTP answers in direct mode and from DSNs
-- (COMPLIANCE.md §5.2): the soft-bounce rule (AC-BNC-2) reads the newest outcomes.
CREATE TABLE bounce_events (
  id uuid PRIMARY KEY,
  address_hash text NOT NULL,
  message_id text,
  kind text NOT NULL CHECK (kind IN ('soft', 'hard', 'policy', 'permanent', 'delivered')),
  status text,
  source text NOT NULL CHECK (source IN ('dsn', 'smtp')),
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bounce_events_address ON bounce_events (address_hash, occurred_at DESC);

-- Reports Pathwell could not read or match to a message it sent: kept sealed for a person to
-- look at, never dropped (AC-BNC-4). They can quote a patient's address or message.
CREATE TABLE quarantined_reports (
  id uuid PRIMARY KEY,
  reason text NOT NULL,
  content bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER bounce_events_append_only
  BEFORE UPDATE OR DELETE ON bounce_events
  FOR EACH ROW EXECUTE FUNCTION pathwell_immutable();

-- Down Migration

DROP TABLE quarantined_reports;
DROP TABLE bounce_events;
