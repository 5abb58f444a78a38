import { createHash, randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'hook_bodies.body';

/**
 * Stores a webhook body once per source (encrypted), however many events it held and however
 * often it is redelivered, and returns its id for the events to reference.
 */
export async function storeBody(
  client: Queryable,
  keyring: Keyring,
  body: { source: string; contentType: string; bytes: Buffer },
): Promise<string> {
  const sha256 = createHash('sha256').update(body.bytes).digest('hex');
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO hook_bodies (id, source, sha256, content_type, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (source, sha256) DO NOTHING RETURNING id`,
    [
      randomUUID(),
      body.source,
      sha256,
      body.contentType,
      keyring.seal('fields', body.bytes, CONTEXT),
    ],
  );
  if (inserted.rows[0] !== undefined) {
    return inserted.rows[0].id;
  }
  const existing = await client.query<{ id: string }>(
    'SELECT id FROM hook_bodies WHERE source = $1 AND sha256 = $2',
    [body.source, sha256],
  );
  return existing.rows[0]?.id ?? '';
}

/** A stored body, decrypted: what the EHR sent, for replaying a run from it. */
export async function loadBody(
  db: Queryable,
  keyring: Keyring,
  id: string,
): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const result = await db.query<{ content_type: string; body: Buffer }>(
    'SELECT content_type, body FROM hook_bodies WHERE id = $1',
    [id],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : { contentType: row.content_type, bytes: keyring.open('fields', row.body, CONTEXT) };
}
