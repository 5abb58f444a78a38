import { randomBytes, randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

/** A live session with what access checks need about its user. */
export interface LiveSession {
  id: string;
  userId: string;
  roles: string[];
  method: SessionMethod;
}

/** How a session was opened. */
export type SessionMethod = 'password' | 'password_totp' | 'passkey';

function sessionHash(keyring: Keyring, token: string): string {
  return keyring.lookupHash(`session:${token}`);
}

/**
 * The CSRF token of a session: a keyed hash of the session's cookie value, so it needs no
 * storage, differs per session, and cannot be computed by a page that cannot read the cookie.
 */
export function csrfTokenOf(keyring: Keyring, sessionToken: string): string {
  return keyring.lookupHash(`csrf:${sessionToken}`);
}

/** Opens a session for a user; returns the cookie value, shown once. */
export async function createSession(
  db: Queryable,
  keyring: Keyring,
  spec: { userId: string; maxHours: number; method: SessionMethod },
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO sessions (id, token_hash, user_id, expires_at, method)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)`,
    [id, sessionHash(keyring, token), spec.userId, spec.maxHours, spec.method],
  );
  return { id, token };
}

/**
 * The session a cookie value opens, if it is neither revoked nor past its absolute lifetime
 * nor idle longer than `idleMinutes`; a live session's idle clock starts again.
 */
export async function touchSession(
  db: Queryable,
  keyring: Keyring,
  token: string,
  idleMinutes: number,
): Promise<LiveSession | undefined> {
  const found = await db.query<{
    id: string;
    user_id: string;
    roles: string[];
    method: SessionMethod;
  }>(
    `UPDATE sessions s SET last_seen_at = now() FROM users u
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
       AND s.last_seen_at > now() - make_interval(mins => $2)
       AND u.id = s.user_id AND u.disabled_at IS NULL
     RETURNING s.id, s.user_id, u.roles, s.method`,
    [sessionHash(keyring, token), idleMinutes],
  );
  const row = found.rows[0];
  return row === undefined
    ? undefined
    : { id: row.id, userId: row.user_id, roles: row.roles, method: row.method };
}

/** Ends one session. */
export async function revokeSession(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
    id,
  ]);
}

/** Ends every session of a user ("sign out everywhere", a role change); returns how many. */
export async function revokeUserSessions(db: Queryable, userId: string): Promise<number> {
  const updated = await db.query(
    'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return updated.rowCount ?? 0;
}
