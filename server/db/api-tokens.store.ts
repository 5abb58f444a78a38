import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenScope } from '../auth/roles.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

/** Every API token starts so, which lets secret scanners and people recognise one. */
export const API_TOKEN_PREFIX = 'pwt_';

/** An API token as listed: never the token itself. */
export interface ApiTokenSummary {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | undefined;
  lastUsedAt: string | undefined;
}

interface TokenRow {
  id: string;
  name: string;
  scopes: TokenScope[];
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

function tokenHash(keyring: Keyring, token: string): string {
  return keyring.lookupHash(`api-token:${token}`);
}

function toSummary(row: TokenRow): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString(),
  };
}

/**
 * Issues an API token and returns it, the only time it is shown; only its keyed hash is kept.
 *
 * @param token - a value to register instead of a fresh one (`PATHWELL_BOOTSTRAP_TOKEN`)
 */
export async function createApiToken(
  db: Queryable,
  keyring: Keyring,
  spec: { name: string; scopes: TokenScope[]; createdBy: string; expiresAt: Date; token?: string },
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = spec.token ?? `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await db.query(
    `INSERT INTO api_tokens (id, name, token_hash, scopes, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, spec.name, tokenHash(keyring, token), spec.scopes, spec.createdBy, spec.expiresAt],
  );
  return { id, token };
}

/** The live token (not revoked, not expired) with this value, marking it used. */
export async function findLiveApiToken(
  db: Queryable,
  keyring: Keyring,
  token: string,
): Promise<{ id: string; scopes: TokenScope[] } | undefined> {
  const found = await db.query<{ id: string; scopes: TokenScope[] }>(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
     RETURNING id, scopes`,
    [tokenHash(keyring, token)],
  );
  return found.rows[0];
}

/** Whether any token, live or not, has this name (the bootstrap token is made only once). */
export async function hasApiTokenNamed(db: Queryable, name: string): Promise<boolean> {
  const found = await db.query('SELECT 1 FROM api_tokens WHERE name = $1', [name]);
  return (found.rowCount ?? 0) > 0;
}

/** Every token, newest first, revoked and expired ones included (for the record). */
export async function listApiTokens(db: Queryable): Promise<ApiTokenSummary[]> {
  const found = await db.query<TokenRow>(
    `SELECT id, name, scopes, created_by, created_at, expires_at, revoked_at, last_used_at
     FROM api_tokens ORDER BY created_at DESC, id`,
  );
  return found.rows.map(toSummary);
}

/** Revokes a token at once; false when no token has the id. */
export async function revokeApiToken(db: Queryable, id: string): Promise<boolean> {
  const updated = await db.query(
    'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1',
    [id],
  );
  return (updated.rowCount ?? 0) > 0;
}
