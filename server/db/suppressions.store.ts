import { randomUUID } from 'node:crypto';
import type {
  ActiveSuppression,
  SuppressionCause,
  SuppressionScope,
} from '../../engine/consent/suppression-scopes.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'suppressions.address';

/** The lookup hash suppressions and tokens use for an address (case-insensitive). */
export function addressHash(keyring: Keyring, address: string): string {
  return keyring.lookupHash(address.trim().toLowerCase());
}

/**
 * Suppresses an address for a scope. Adding is the only operation: no code path in Pathwell
 * removes or weakens a suppression (a trigger refuses UPDATE and DELETE), so an import or a
 * re-sync can never clear one (COMPLIANCE.md AC-SUP-2).
 *
 * @returns whether a new suppression was written (false: one of that scope and cause existed)
 */
export async function addSuppression(
  db: Queryable,
  keyring: Keyring,
  entry: {
    address: string;
    scope: SuppressionScope;
    cause: SuppressionCause;
    source: string;
    patientId?: string | undefined;
    messageId?: string | undefined;
    expiresAt?: string | undefined;
  },
): Promise<boolean> {
  const hash = addressHash(keyring, entry.address);
  const result = await db.query(
    `INSERT INTO suppressions (id, address_hash, address, scope, cause, source, patient_id,
       message_id, expires_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
     WHERE NOT EXISTS (SELECT 1 FROM suppressions WHERE address_hash = $2 AND scope = $4
       AND cause = $5 AND (expires_at IS NULL OR expires_at > now()))`,
    [
      randomUUID(),
      hash,
      keyring.seal('fields', Buffer.from(entry.address.trim(), 'utf8'), CONTEXT),
      entry.scope,
      entry.cause,
      entry.source,
      entry.patientId ?? null,
      entry.messageId ?? null,
      entry.expiresAt ?? null,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The suppressions in force for an address. */
export async function activeSuppressions(
  db: Queryable,
  keyring: Keyring,
  address: string,
): Promise<Array<ActiveSuppression & { createdAt: string; source: string }>> {
  const result = await db.query<{
    scope: SuppressionScope;
    cause: SuppressionCause;
    source: string;
    created_at: Date;
  }>(
    `SELECT scope, cause, source, created_at FROM suppressions
     WHERE address_hash = $1 AND (expires_at IS NULL OR expires_at > now())
     ORDER BY created_at`,
    [addressHash(keyring, address)],
  );
  return result.rows.map((row) => ({
    scope: row.scope,
    cause: row.cause,
    source: row.source,
    createdAt: row.created_at.toISOString(),
  }));
}
