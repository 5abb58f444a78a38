import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { canonicalJson } from '../../engine/util/canonical-json.js';
import { derivedKeyMaterial, type Keyring } from '../crypto/keyring.js';
import type { Queryable } from '../db/pool.js';

/** A signed statement of the audit chain's head: how many rows, ending in which hash. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  rowCount: number;
  signedAt: string;
  /** SHA-256 fingerprint of the public key, hex, first 16 characters. */
  keyId: string;
  /** Ed25519 signature over the canonical JSON of the four members above, base64. */
  signature: string;
  /** The verifying key (SPKI PEM), so an exported checkpoint can be checked anywhere. */
  publicKey: string;
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function signingKey(keyring: Keyring) {
  const seed = derivedKeyMaterial(keyring, 'audit');
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

function signedPart(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'rowCount' | 'signedAt'>) {
  const { seq, hash, rowCount, signedAt } = checkpoint;
  return Buffer.from(canonicalJson({ seq, hash, rowCount, signedAt }), 'utf8');
}

/**
 * Signs the chain's current head and stores the checkpoint outside audit_events (its own
 * append-only table), so deleting the newest rows, or rewriting audit_head with them, is
 * caught by the next verification. Return it to export it somewhere the database's
 * administrators cannot write.
 */
export async function writeCheckpoint(db: Queryable, keyring: Keyring): Promise<AuditCheckpoint> {
  const head = await db.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM audit_head WHERE id = 1',
  );
  const count = await db.query<{ count: string }>('SELECT count(*) AS count FROM audit_events');
  const key = signingKey(keyring);
  const publicKey = createPublicKey(key);
  const body = {
    seq: Number(head.rows[0]?.seq ?? 0),
    hash: head.rows[0]?.hash ?? '0'.repeat(64),
    rowCount: Number(count.rows[0]?.count ?? 0),
    signedAt: new Date().toISOString(),
  };
  const checkpoint: AuditCheckpoint = {
    ...body,
    keyId: publicKeyId(publicKey),
    signature: sign(null, signedPart(body), key).toString('base64'),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  await db.query(
    `INSERT INTO audit_checkpoints (seq, hash, row_count, signed_at, key_id, signature)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING`,
    [
      checkpoint.seq,
      checkpoint.hash,
      checkpoint.rowCount,
      checkpoint.signedAt,
      checkpoint.keyId,
      checkpoint.signature,
    ],
  );
  return checkpoint;
}

/** The newest stored checkpoint, with the verifying key. */
export async function latestCheckpoint(
  db: Queryable,
  keyring: Keyring,
): Promise<AuditCheckpoint | undefined> {
  const result = await db.query<{
    seq: string;
    hash: string;
    row_count: string;
    signed_at: Date;
    key_id: string;
    signature: string;
  }>('SELECT * FROM audit_checkpoints ORDER BY seq DESC LIMIT 1');
  const row = result.rows[0];
  if (row === undefined) {
    return undefined;
  }
  return {
    seq: Number(row.seq),
    hash: row.hash,
    rowCount: Number(row.row_count),
    signedAt: row.signed_at.toISOString(),
    keyId: row.key_id,
    signature: row.signature,
    publicKey: createPublicKey(signingKey(keyring))
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  };
}

/** Whether a checkpoint's signature is valid under its public key. */
export function isCheckpointSigned(checkpoint: AuditCheckpoint): boolean {
  try {
    return verify(
      null,
      signedPart(checkpoint),
      createPublicKey(checkpoint.publicKey),
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

function publicKeyId(key: ReturnType<typeof createPublicKey>): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return canonicalHex(der);
}

function canonicalHex(der: Buffer): string {
  return Buffer.from(der).subarray(-32).toString('hex').slice(0, 16);
}
