import type { Queryable } from './pool.js';

/** A consent, protection or delivery decision of a run, from the audit trail. */
export interface RunDecision {
  at: string;
  stepId: string | null;
  action: string;
  decision: string | null;
  reason: string | null;
  purpose: string | null;
  method: string | null;
  /** Where in the send it was decided (`consent`, `protection`, `transport`, …). */
  stage: string | null;
  smtpCode: number | null;
}

/** A delivery of a run, from the ledger, with the SMTP peer's answer. */
export interface RunDelivery {
  stepId: string;
  messageId: string;
  state: string;
  attempts: number;
  method: string | null;
  reason: string | null;
  smtpCode: number | null;
  recipientDomain: string | null;
  resentAfterUnknown: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * The audit trail's decisions about a run, oldest first. Only codes and opaque ids: the
 * evidence details (which can name an authorization or a key) stay in the audit API.
 */
export async function loadRunDecisions(db: Queryable, workflowId: string): Promise<RunDecision[]> {
  const result = await db.query<{
    ts: Date;
    step_id: string | null;
    action: string;
    decision: string | null;
    reason: string | null;
    purpose: string | null;
    method: string | null;
    stage: string | null;
    smtp_code: string | null;
  }>(
    `SELECT ts, step_id, action, decision, reason, purpose, method, details->>'stage' AS stage,
       details->>'smtpCode' AS smtp_code
     FROM audit_events WHERE workflow_id = $1 ORDER BY seq`,
    [workflowId],
  );
  return result.rows.map((row) => ({
    at: row.ts.toISOString(),
    stepId: row.step_id,
    action: row.action,
    decision: row.decision,
    reason: row.reason,
    purpose: row.purpose,
    method: row.method,
    stage: row.stage,
    smtpCode: row.smtp_code === null ? null : Number(row.smtp_code),
  }));
}

/** The ledger rows of a run, in the order they were made. */
export async function loadRunDeliveries(db: Queryable, workflowId: string): Promise<RunDelivery[]> {
  const result = await db.query<{
    step_id: string;
    message_id: string;
    state: string;
    attempts: number;
    method: string | null;
    reason: string | null;
    smtp_code: number | null;
    recipient_domain: string | null;
    resent_after_unknown: boolean;
    created_at: Date;
    updated_at: Date;
  }>('SELECT * FROM deliveries WHERE workflow_id = $1 ORDER BY created_at', [workflowId]);
  return result.rows.map((row) => ({
    stepId: row.step_id,
    messageId: row.message_id,
    state: row.state,
    attempts: row.attempts,
    method: row.method,
    reason: row.reason,
    smtpCode: row.smtp_code,
    recipientDomain: row.recipient_domain,
    resentAfterUnknown: row.resent_after_unknown,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}
