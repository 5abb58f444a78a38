import type { Keyring } from '../crypto/keyring.js';
import { type Queryable, withTransaction, type Pool } from './pool.js';

const CONTEXT = 'users.totp';

function codeHash(keyring: Keyring, userId: string, code: string): string {
  return keyring.lookupHash(`recovery:${userId}:${code.trim().toLowerCase()}`);
}

/** Keeps a TOTP secret pending until the user proves their app has it. */
export async function setPendingTotp(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  secret: string,
): Promise<void> {
  await db.query('UPDATE users SET totp_pending = $2 WHERE id = $1', [
    userId,
    keyring.seal('fields', Buffer.from(secret, 'utf8'), CONTEXT),
  ]);
}

/** The user's TOTP secret, the active one or (with `pending`) the one being enrolled. */
export async function loadTotpSecret(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  which: 'active' | 'pending',
): Promise<string | undefined> {
  const column = which === 'active' ? 'totp_secret' : 'totp_pending';
  const found = await db.query<{ sealed: Buffer | null }>(
    `SELECT ${column} AS sealed FROM users WHERE id = $1`,
    [userId],
  );
  const sealed = found.rows[0]?.sealed ?? null;
  return sealed === null ? undefined : keyring.open('fields', sealed, CONTEXT).toString('utf8');
}

/**
 * Records a code's time step as used; false when this or a later step was already used, so a
 * code seen over someone's shoulder cannot be played again.
 */
export async function claimTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const updated = await db.query(
    `UPDATE users SET totp_last_step = $2
     WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
    [userId, step],
  );
  return (updated.rowCount ?? 0) > 0;
}

/** Turns the pending secret on and replaces the recovery codes, in one transaction. */
export async function activateTotp(
  pool: Pool,
  keyring: Keyring,
  userId: string,
  recoveryCodes: string[],
): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(
      'UPDATE users SET totp_secret = totp_pending, totp_pending = NULL WHERE id = $1',
      [userId],
    );
    await client.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    for (const code of recoveryCodes) {
      await client.query('INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)', [
        userId,
        codeHash(keyring, userId, code),
      ]);
    }
  });
}

/** Turns TOTP off and drops the recovery codes. */
export async function removeTotp(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL
     WHERE id = $1`,
    [userId],
  );
  await db.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
}

/** Uses a recovery code once; false when it is unknown or was used. */
export async function useRecoveryCode(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  code: string,
): Promise<boolean> {
  const updated = await db.query(
    `UPDATE recovery_codes SET used_at = now()
     WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
    [userId, codeHash(keyring, userId, code)],
  );
  return (updated.rowCount ?? 0) > 0;
}
