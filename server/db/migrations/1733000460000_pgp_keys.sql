-- Up Migration

-- Patients' OpenPGP public keys (COMPLIANCE.md §1.6). The armored key is sealed like every
-- other patient record (its user ids name the patient's address); the fingerprint is kept in
-- clear to list and de-duplicate keys.
CREATE TABLE pgp_keys (
  id uuid PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patients (id),
  fingerprint text NOT NULL,
  armored bytea NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, fingerprint)
);
CREATE INDEX pgp_keys_patient ON pgp_keys (patient_id, created_at DESC);

-- Down Migration

DROP TABLE pgp_keys;
