-- Up Migration

-- People who sign in. The email is sealed with the keyring and found by a keyed hash, like
-- patients' addresses; the password is an argon2id hash (PHC string). A user made by
-- `pathwell users create` has no password until the one-time setup link is used.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email_hash text NOT NULL UNIQUE,
  email bytea NOT NULL,
  password_hash text,
  roles text[] NOT NULL CHECK (
    roles <@ ARRAY['admin', 'designer', 'publisher', 'operator', 'auditor', 'viewer']::text[]
  ),
  setup_token_hash text UNIQUE,
  setup_expires_at timestamptz,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- TOTP (RFC 6238) second factor: the secret sealed like other secrets; a pending one waits
-- for its first code. The last accepted time step refuses a code's replay within its window.
ALTER TABLE users
  ADD COLUMN totp_secret bytea,
  ADD COLUMN totp_pending bytea,
  ADD COLUMN totp_last_step bigint;

-- One-time recovery codes, kept only as keyed hashes.
CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- API tokens for scripts, CI and integrations: kept only as a keyed hash, shown once.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  token_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- Browser sessions. The cookie carries a random token; only its keyed hash is stored, so a
-- copy of this table lets nobody in. Idle and absolute limits are checked on every request.
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Emergency ("break-glass") access: a signed-in user acts with every role for a short time,
-- with a written reason (sealed: it may name a patient). Each use is audited.
CREATE TABLE break_glass_grants (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  reason bytea NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  ends_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX break_glass_grants_session ON break_glass_grants (session_id);

-- WebAuthn passkeys (phishing resistant: bound to Pathwell's origin). The public key is not a
-- secret; the signature counter helps spot a cloned authenticator.
CREATE TABLE passkeys (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- Challenges handed out for passkey ceremonies, each usable once within five minutes.
CREATE TABLE webauthn_challenges (
  challenge text PRIMARY KEY,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('register', 'sign_in')),
  expires_at timestamptz NOT NULL
);

-- How a session was opened: a role may require a passkey (phishing-resistant) session.
ALTER TABLE sessions ADD COLUMN method text NOT NULL DEFAULT 'password'
  CHECK (method IN ('password', 'password_totp', 'passkey'));

-- Down Migration
DROP TABLE webauthn_challenges;
DROP TABLE passkeys;
DROP TABLE break_glass_grants;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE api_tokens;
DROP TABLE users;
