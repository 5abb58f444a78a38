-- Up Migration

-- Verification of an address before PHI goes to it (COMPLIANCE.md AC-PAT-1): a PHI-free email
-- with an opaque link. The token is stored as a keyed hash, the address sealed.
CREATE TABLE address_verifications (
  token_hash text PRIMARY KEY,
  patient_id uuid NOT NULL REFERENCES patients (id),
  address_hash text NOT NULL,
  address bytea NOT NULL,
  source text NOT NULL CHECK (source IN ('ehr', 'patient', 'staff', 'import')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  verified_at timestamptz
);
CREATE INDEX address_verifications_address ON address_verifications (patient_id, address_hash);

-- A verified EHR-supplied address is recorded as a contact point with its source kept.
ALTER TABLE contact_points DROP CONSTRAINT contact_points_source_check;
ALTER TABLE contact_points ADD CONSTRAINT contact_points_source_check
  CHECK (source IN ('ehr', 'patient', 'staff', 'import'));

-- Down Migration

ALTER TABLE contact_points DROP CONSTRAINT contact_points_source_check;
ALTER TABLE contact_points ADD CONSTRAINT contact_points_source_check
  CHECK (source IN ('patient', 'staff', 'import'));
DROP TABLE address_verifications;
