import { randomBytes } from 'node:crypto';
import { AppError } from '../../engine/errors/app-error.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'sources.secret';

/** How a source proves who it is. */
export type SourceKind = 'hmac' | 'bearer';

/** A registered source as the webhooks and the MLLP listener need it. */
export interface Source {
  name: string;
  kind: SourceKind;
  /** The HMAC secret (hmac sources only), decrypted. */
  secret?: Buffer;
  mllpPeers: string[];
  rateLimitPerSecond: number | undefined;
}

/** A source as operators list it: never its secret. */
export interface SourceSummary {
  name: string;
  kind: SourceKind;
  mllpPeers: string[];
  rateLimitPerSecond: number | undefined;
  createdAt: string;
  rotatedAt: string | undefined;
}

/** What registering a source takes. */
export interface NewSource {
  name: string;
  kind: SourceKind;
  mllpPeers?: string[];
  rateLimitPerSecond?: number | undefined;
  /** A secret or token to use instead of a generated one (e.g. one the EHR already has). */
  credential?: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const COLUMNS = 'name, kind, secret, mllp_peers, rate_limit_per_second';

interface SourceRow {
  name: string;
  kind: SourceKind;
  secret: Buffer | null;
  mllp_peers: string[];
  rate_limit_per_second: number | null;
}

/**
 * Registers a source and returns its credential, the only time it is shown: an HMAC secret
 * (encrypted at rest, Pathwell needs it to check signatures) or a bearer token (kept only as a
 * keyed hash).
 *
 * @throws AppError `request_invalid` for a bad name, `source_exists` (409) for a taken one
 */
export async function addSource(
  db: Queryable,
  keyring: Keyring,
  source: NewSource,
): Promise<{ credential: string }> {
  if (!NAME.test(source.name) || source.name === 'local') {
    throw new AppError(
      'request_invalid',
      `Source name "${source.name}" must be lower-case letters, digits, "-" or "_" (and not "local", which names unsigned development posts).`,
    );
  }
  const credential = source.credential ?? randomBytes(32).toString('base64url');
  const sealed =
    source.kind === 'hmac' ? keyring.seal('fields', Buffer.from(credential), CONTEXT) : null;
  const tokenHash = source.kind === 'bearer' ? keyring.lookupHash(`bearer:${credential}`) : null;
  const inserted = await db.query(
    `INSERT INTO sources (name, kind, secret, token_hash, mllp_peers, rate_limit_per_second)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING`,
    [
      source.name,
      source.kind,
      sealed,
      tokenHash,
      source.mllpPeers ?? [],
      source.rateLimitPerSecond ?? null,
    ],
  );
  if (inserted.rowCount === 0) {
    throw new AppError(
      'source_exists',
      `A source named "${source.name}" is already registered; rotate its secret instead.`,
    );
  }
  return { credential };
}

/**
 * Replaces a source's secret or token with a new one, returned once. The old one stops working
 * at once: give the EHR the new one first where it can hold two.
 *
 * @throws AppError `source_not_found` (404)
 */
export async function rotateSource(
  db: Queryable,
  keyring: Keyring,
  name: string,
): Promise<{ credential: string }> {
  const found = await db.query<{ kind: SourceKind }>('SELECT kind FROM sources WHERE name = $1', [
    name,
  ]);
  const kind = found.rows[0]?.kind;
  if (kind === undefined) {
    throw new AppError(
      'source_not_found',
      `No source is named "${name}"; "pathwell sources list" shows them.`,
    );
  }
  const credential = randomBytes(32).toString('base64url');
  await db.query(
    `UPDATE sources SET secret = $2, token_hash = $3, rotated_at = now() WHERE name = $1`,
    [
      name,
      kind === 'hmac' ? keyring.seal('fields', Buffer.from(credential), CONTEXT) : null,
      kind === 'bearer' ? keyring.lookupHash(`bearer:${credential}`) : null,
    ],
  );
  return { credential };
}

/**
 * Removes a source. Its events stay in the inbox; new requests naming it are refused.
 *
 * @throws AppError `source_not_found` (404)
 */
export async function removeSource(db: Queryable, name: string): Promise<void> {
  const removed = await db.query('DELETE FROM sources WHERE name = $1', [name]);
  if (removed.rowCount === 0) {
    throw new AppError(
      'source_not_found',
      `No source is named "${name}"; "pathwell sources list" shows them.`,
    );
  }
}

/** Every registered source, without secrets. */
export async function listSources(db: Queryable): Promise<SourceSummary[]> {
  const result = await db.query<SourceRow & { created_at: Date; rotated_at: Date | null }>(
    `SELECT ${COLUMNS}, created_at, rotated_at FROM sources ORDER BY name`,
  );
  return result.rows.map((row) => ({
    name: row.name,
    kind: row.kind,
    mllpPeers: row.mllp_peers,
    rateLimitPerSecond: row.rate_limit_per_second ?? undefined,
    createdAt: row.created_at.toISOString(),
    rotatedAt: row.rotated_at?.toISOString(),
  }));
}

/** A source by name, with its secret decrypted. */
export async function findSource(
  db: Queryable,
  keyring: Keyring,
  name: string,
): Promise<Source | undefined> {
  const result = await db.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE name = $1`, [
    name,
  ]);
  return result.rows[0] === undefined ? undefined : toSource(result.rows[0], keyring);
}

/** The bearer source a token belongs to, if any. */
export async function findSourceByToken(
  db: Queryable,
  keyring: Keyring,
  token: string,
): Promise<Source | undefined> {
  const result = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM sources WHERE kind = 'bearer' AND token_hash = $1`,
    [keyring.lookupHash(`bearer:${token}`)],
  );
  return result.rows[0] === undefined ? undefined : toSource(result.rows[0], keyring);
}

/** Every source with MLLP peers, for the listener's allow-list. */
export async function mllpSources(db: Queryable, keyring: Keyring): Promise<Source[]> {
  const result = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM sources WHERE cardinality(mllp_peers) > 0 ORDER BY name`,
  );
  return result.rows.map((row) => toSource(row, keyring));
}

function toSource(row: SourceRow, keyring: Keyring): Source {
  return {
    name: row.name,
    kind: row.kind,
    ...(row.secret === null ? {} : { secret: keyring.open('fields', row.secret, CONTEXT) }),
    mllpPeers: row.mllp_peers,
    rateLimitPerSecond: row.rate_limit_per_second ?? undefined,
  };
}
