import { randomBytes } from 'node:crypto';
import type { AddressSource } from '../../engine/consent/decide-consent.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';
import { addressHash } from './suppressions.store.js';
import { tokenHash } from './unsubscribe-tokens.store.js';

const CONTEXT = 'address_verifications.address';
/** How long a verification link works. */
export const VERIFICATION_TTL_DAYS = 7;
/** A new verification email is sent at most this often per address. */
export const VERIFICATION_RESEND_HOURS = 24;

/**
 * Issues a verification token for a patient's address, unless one was issued recently and is
 * still unused (then no second email goes out). The token is 128 random bits, stored hashed.
 *
 * @returns the new token, or `undefined` when a recent one is pending
 */
export async function issueVerification(
  db: Queryable,
  keyring: Keyring,
  entry: { patientId: string; address: string; source: AddressSource },
): Promise<string | undefined> {
  const hash = addressHash(keyring, entry.address);
  const pending = await db.query(
    `SELECT 1 FROM address_verifications WHERE patient_id = $1 AND address_hash = $2
       AND verified_at IS NULL AND expires_at > now()
       AND created_at > now() - make_interval(hours => $3)`,
    [entry.patientId, hash, VERIFICATION_RESEND_HOURS],
  );
  if ((pending.rowCount ?? 0) > 0) {
    return undefined;
  }
  const token = randomBytes(16).toString('base64url');
  await db.query(
    `INSERT INTO address_verifications (token_hash, patient_id, address_hash, address, source,
       expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))`,
    [
      tokenHash(keyring, token),
      entry.patientId,
      hash,
      keyring.seal('fields', Buffer.from(entry.address.trim(), 'utf8'), CONTEXT),
      entry.source,
      VERIFICATION_TTL_DAYS,
    ],
  );
  return token;
}

/** An unexpired verification by its token, with the address decrypted. */
export async function findVerification(
  db: Queryable,
  keyring: Keyring,
  token: string,
): Promise<
  | { patientId: string; address: string; source: AddressSource; verifiedAt: string | null }
  | undefined
> {
  const result = await db.query<{
    patient_id: string;
    address: Buffer;
    source: AddressSource;
    verified_at: Date | null;
  }>(
    `SELECT patient_id, address, source, verified_at FROM address_verifications
     WHERE token_hash = $1 AND expires_at > now()`,
    [tokenHash(keyring, token)],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        patientId: row.patient_id,
        address: keyring.open('fields', row.address, CONTEXT).toString('utf8'),
        source: row.source,
        verifiedAt: row.verified_at?.toISOString() ?? null,
      };
}

/** Marks a verification used. */
export async function markVerified(db: Queryable, keyring: Keyring, token: string): Promise<void> {
  await db.query(
    'UPDATE address_verifications SET verified_at = COALESCE(verified_at, now()) WHERE token_hash = $1',
    [tokenHash(keyring, token)],
  );
}
