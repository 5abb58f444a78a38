import type { AuditRow } from '../db/audit.store.js';
import type { Queryable } from '../db/pool.js';

/** An audit_events row as the database returns it. */
export interface AuditDbRow {
  seq: string;
  id: string;
  ts: Date;
  actor_id: string;
  actor_type: AuditRow['actorType'];
  action: string;
  decision: AuditRow['decision'] | null;
  reason: string | null;
  patient_id: string | null;
  journey_id: string | null;
  version_id: string | null;
  workflow_id: string | null;
  step_id: string | null;
  message_id: string | null;
  purpose: string | null;
  method: string | null;
  recipient_domain: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** The row as it was hashed: absent members are left out, as they were when it was written. */
export function toAuditRow(row: AuditDbRow): AuditRow {
  const optional = {
    decision: row.decision,
    reason: row.reason,
    patientId: row.patient_id,
    journeyId: row.journey_id,
    versionId: row.version_id,
    workflowId: row.workflow_id,
    stepId: row.step_id,
    messageId: row.message_id,
    purpose: row.purpose,
    method: row.method,
    recipientDomain: row.recipient_domain,
  };
  const present = Object.fromEntries(
    Object.entries(optional).filter(([, value]) => value !== null),
  ) as Partial<AuditRow>;
  return {
    actorId: row.actor_id,
    actorType: row.actor_type,
    action: row.action,
    ...present,
    details: row.details,
    seq: Number(row.seq),
    id: row.id,
    ts: row.ts.toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Filters of an audit query; every one is optional and they combine with AND. */
export interface AuditFilter {
  patientId?: string | undefined;
  journeyId?: string | undefined;
  workflowId?: string | undefined;
  messageId?: string | undefined;
  decision?: 'allowed' | 'blocked' | 'deferred' | undefined;
  reason?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * Audit rows matching a filter, oldest first, after `afterSeq` (keyset paging: the next page
 * starts after the last row's seq, so pages stay fast on millions of rows).
 */
export async function queryAudit(
  db: Queryable,
  filter: AuditFilter,
  page: { afterSeq: number; limit: number },
): Promise<AuditRow[]> {
  const conditions: string[] = ['seq > $1'];
  const values: unknown[] = [page.afterSeq];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    conditions.push(sql.replace('?', `$${values.length}`));
  };
  const columns: Array<[keyof AuditFilter, string]> = [
    ['patientId', 'patient_id = ?'],
    ['journeyId', 'journey_id = ?'],
    ['workflowId', 'workflow_id = ?'],
    ['messageId', 'message_id = ?'],
    ['decision', 'decision = ?'],
    ['reason', 'reason = ?'],
    ['from', 'ts >= ?'],
    ['to', 'ts < ?'],
  ];
  for (const [member, sql] of columns) {
    if (filter[member] !== undefined) {
      add(sql, filter[member]);
    }
  }
  values.push(page.limit);
  const result = await db.query<AuditDbRow>(
    `SELECT * FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${values.length}`,
    values,
  );
  return result.rows.map(toAuditRow);
}
