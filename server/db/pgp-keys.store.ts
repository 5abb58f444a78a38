import { randomUUID } from 'node:crypto';
import type { RegisteredKey } from '../../activities/pgp/recipient-key.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'pgp_keys.armored';

/** A registered key without its material: for listings. */
export interface PgpKeySummary {
  id: string;
  fingerprint: string;
  createdAt: string;
}

/**
 * Registers a patient's public key; registering the same key again keeps the first record.
 *
 * @returns the key's record id
 */
export async function recordPgpKey(
  db: Queryable,
  keyring: Keyring,
  entry: { patientId: string; key: RegisteredKey; recordedBy: string },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO pgp_keys (id, patient_id, fingerprint, armored, recorded_by)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (patient_id, fingerprint) DO UPDATE SET fingerprint = EXCLUDED.fingerprint
     RETURNING id`,
    [
      randomUUID(),
      entry.patientId,
      entry.key.fingerprint,
      keyring.seal('fields', Buffer.from(entry.key.armored, 'utf8'), CONTEXT),
      entry.recordedBy,
    ],
  );
  return result.rows[0]?.id ?? '';
}

/** The patient's newest registered key, decrypted for the send that checks and uses it. */
export async function findNewestPgpKey(
  db: Queryable,
  keyring: Keyring,
  patientId: string,
): Promise<RegisteredKey | undefined> {
  const result = await db.query<{ fingerprint: string; armored: Buffer }>(
    `SELECT fingerprint, armored FROM pgp_keys WHERE patient_id = $1
     ORDER BY created_at DESC LIMIT 1`,
    [patientId],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        fingerprint: row.fingerprint,
        armored: keyring.open('fields', row.armored, CONTEXT).toString('utf8'),
      };
}

/** The patient's registered keys, newest first, without key material. */
export async function listPgpKeys(db: Queryable, patientId: string): Promise<PgpKeySummary[]> {
  const result = await db.query<{ id: string; fingerprint: string; created_at: Date }>(
    `SELECT id, fingerprint, created_at FROM pgp_keys WHERE patient_id = $1
     ORDER BY created_at DESC`,
    [patientId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    fingerprint: row.fingerprint,
    createdAt: row.created_at.toISOString(),
  }));
}
