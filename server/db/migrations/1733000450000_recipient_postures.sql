-- Up Migration

-- What Pathwell concluded about a recipient domain's mail servers (COMPLIANCE.md AC-ENC-2),
-- kept until it expires. Domains are not PHI (the audit trail names them too); no address is
-- stored here.
CREATE TABLE recipient_postures (
  domain text PRIMARY KEY,
  transport text NOT NULL,
  record jsonb NOT NULL,
  checked_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- MTA-STS policies as fetched (RFC 8461 §5.1: cached for max_age, fetched again when the TXT id
-- changes). A failed fetch leaves a cached, unexpired policy in force (AC-STS-3).
CREATE TABLE mta_sts_policies (
  domain text PRIMARY KEY,
  policy_id text NOT NULL,
  policy jsonb NOT NULL,
  fetched_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Down Migration

DROP TABLE mta_sts_policies;
DROP TABLE recipient_postures;
