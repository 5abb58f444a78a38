import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../../engine/errors/app-error.js';
import { canonicalJson } from '../../engine/util/canonical-json.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { type Pool, type Queryable, withTransaction } from './pool.js';

/**
 * One audit event. References and reason codes only: never a body, a subject or an address in
 * clear (COMPLIANCE.md §3.2).
 */
export interface AuditEntry {
  actorId: string;
  actorType: 'user' | 'service' | 'integration' | 'patient';
  action: string;
  decision?: 'allowed' | 'blocked' | 'deferred';
  reason?: string;
  patientId?: string;
  journeyId?: string;
  versionId?: string;
  workflowId?: string;
  stepId?: string;
  messageId?: string;
  purpose?: string;
  method?: string;
  recipientDomain?: string;
  details?: Record<string, unknown>;
}

/** An audit row as stored, with its place in the chain. */
export interface AuditRow extends AuditEntry {
  seq: number;
  id: string;
  ts: string;
  prevHash: string;
  hash: string;
}

/** The hash of a row: SHA-256 over its predecessor's hash and its own canonical JSON. */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  const { prevHash, ...content } = row;
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

/**
 * Appends one event to the audit trail, chained to the newest row. The chain head is locked
 * for the append, so concurrent writers queue rather than fork the chain.
 *
 * @param db - a pool (a transaction of its own is opened) or a client inside the caller's
 *   transaction (the event then commits or rolls back with the caller's work)
 */
export async function appendAudit(db: Pool | Queryable, entry: AuditEntry): Promise<AuditRow> {
  // COMPLIANCE.md §3: every row names who acted. A row without an actor is a bug to fix, so
  // it is refused rather than written anonymously.
  if (typeof entry.actorId !== 'string' || entry.actorId.trim() === '' || !entry.actorType) {
    throw new AppError(
      'audit_actor_missing',
      `The audit event "${entry.action}" names no actor; pass actorId and actorType.`,
    );
  }
  if (db instanceof pg.Pool) {
    return withTransaction(db, (client) => appendInTransaction(client, entry));
  }
  return appendInTransaction(db, entry);
}

async function appendInTransaction(client: Queryable, entry: AuditEntry): Promise<AuditRow> {
  const head = await client.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE',
  );
  const previous = head.rows[0] ?? { seq: '0', hash: '0'.repeat(64) };
  const content: Omit<AuditRow, 'hash'> = {
    ...entry,
    details: entry.details ?? {},
    seq: Number(previous.seq) + 1,
    id: randomUUID(),
    ts: new Date().toISOString(),
    prevHash: previous.hash,
  };
  const row: AuditRow = { ...content, hash: auditRowHash(content) };

  await client.query(
    `INSERT INTO audit_events (seq, id, ts, actor_id, actor_type, action, decision, reason,
       patient_id, journey_id, version_id, workflow_id, step_id, message_id, purpose, method,
       recipient_domain, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
    [
      row.seq,
      row.id,
      row.ts,
      row.actorId,
      row.actorType,
      row.action,
      row.decision ?? null,
      row.reason ?? null,
      row.patientId ?? null,
      row.journeyId ?? null,
      row.versionId ?? null,
      row.workflowId ?? null,
      row.stepId ?? null,
      row.messageId ?? null,
      row.purpose ?? null,
      row.method ?? null,
      row.recipientDomain ?? null,
      JSON.stringify(row.details),
      row.prevHash,
      row.hash,
    ],
  );
  await client.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [row.seq, row.hash]);
  return row;
}
