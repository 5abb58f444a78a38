import { randomBytes } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';
import { addressHash } from './suppressions.store.js';

const CONTEXT = 'unsubscribe_tokens.address';

/**
 * Issues the unsubscribe token of one marketing message: 128 random bits (base64url), stored
 * only as a keyed hash and bound to one address, so it reveals nothing and cannot unsubscribe
 * anyone else (COMPLIANCE.md AC-OC-3). A retry of the same message reuses its token.
 */
export async function issueUnsubscribeToken(
  db: Queryable,
  keyring: Keyring,
  entry: { address: string; patientId: string; messageId: string; seed: string },
): Promise<string> {
  // Derived from a per-message secret so a retried attempt builds the same links; the seed is
  // the message's ledger key, never PHI, and the derivation key never leaves the keyring.
  const token = Buffer.from(keyring.lookupHash(`unsubscribe\u0000${entry.seed}`), 'hex')
    .subarray(0, 16)
    .toString('base64url');
  await db.query(
    `INSERT INTO unsubscribe_tokens (token_hash, address_hash, address, patient_id, message_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (token_hash) DO NOTHING`,
    [
      tokenHash(keyring, token),
      addressHash(keyring, entry.address),
      keyring.seal('fields', Buffer.from(entry.address.trim(), 'utf8'), CONTEXT),
      entry.patientId,
      entry.messageId,
    ],
  );
  return token;
}

/** The address and message an unsubscribe token belongs to. */
export async function findUnsubscribeToken(
  db: Queryable,
  keyring: Keyring,
  token: string,
): Promise<{ address: string; patientId: string | null; messageId: string } | undefined> {
  const result = await db.query<{ address: Buffer; patient_id: string | null; message_id: string }>(
    'SELECT address, patient_id, message_id FROM unsubscribe_tokens WHERE token_hash = $1',
    [tokenHash(keyring, token)],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        address: keyring.open('fields', row.address, CONTEXT).toString('utf8'),
        patientId: row.patient_id,
        messageId: row.message_id,
      };
}

/** Marks a token used (informational; tokens stay valid, AC-CS-3). */
export async function markTokenUsed(db: Queryable, keyring: Keyring, token: string): Promise<void> {
  await db.query(
    'UPDATE unsubscribe_tokens SET used_at = COALESCE(used_at, now()) WHERE token_hash = $1',
    [tokenHash(keyring, token)],
  );
}

/** A random 128-bit opaque token, base64url (22 characters). */
export function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The keyed hash a token is stored under. */
export function tokenHash(keyring: Keyring, token: string): string {
  return keyring.lookupHash(`token\u0000${token}`);
}
