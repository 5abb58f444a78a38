import { randomUUID } from 'node:crypto';
import type { Queryable } from './pool.js';

/**
 * Where a delivery stands. `in_flight`: the message was being handed over and Pathwell does not
 * know whether the peer took it (the worker may have died). `deferred`: the peer answered with
 * a temporary failure and the send will be retried. The others are final.
 */
export type DeliveryState = 'in_flight' | 'accepted' | 'deferred' | 'blocked' | 'rejected';

/** One row of the delivery ledger. */
export interface Delivery {
  id: string;
  workflowId: string;
  stepId: string;
  messageId: string;
  state: DeliveryState;
  attempts: number;
  resentAfterUnknown: boolean;
  method: string | null;
  reason: string | null;
  smtpCode: number | null;
  createdAt: string;
}

/** The ledger row of a run's step, if it has one. */
export async function findDelivery(
  db: Queryable,
  workflowId: string,
  stepId: string,
): Promise<Delivery | undefined> {
  const result = await db.query<DeliveryRow>(
    'SELECT * FROM deliveries WHERE workflow_id = $1 AND step_id = $2',
    [workflowId, stepId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toDelivery(row);
}

/**
 * Marks a delivery as being handed over, just before the message is transmitted. If the
 * previous attempt was itself in flight (its outcome unknown), the row remembers that this
 * attempt may send a second copy.
 */
export async function markInFlight(
  db: Queryable,
  delivery: {
    workflowId: string;
    stepId: string;
    messageId: string;
    method: string;
    recipientDomain: string;
    recipientHash: string;
    mimeSha256: string;
    envelopeId?: string | undefined;
  },
): Promise<Delivery> {
  const result = await db.query<DeliveryRow>(
    `INSERT INTO deliveries (id, workflow_id, step_id, message_id, state, attempts, method,
       recipient_domain, recipient_hash, mime_sha256, envelope_id)
     VALUES ($1, $2, $3, $4, 'in_flight', 1, $5, $6, $7, $8, $9)
     ON CONFLICT (workflow_id, step_id) DO UPDATE SET
       resent_after_unknown = deliveries.resent_after_unknown OR deliveries.state = 'in_flight',
       state = 'in_flight', attempts = deliveries.attempts + 1, method = EXCLUDED.method,
       recipient_domain = EXCLUDED.recipient_domain, recipient_hash = EXCLUDED.recipient_hash,
       mime_sha256 = EXCLUDED.mime_sha256, envelope_id = EXCLUDED.envelope_id, reason = NULL,
       updated_at = now()
     RETURNING *`,
    [
      randomUUID(),
      delivery.workflowId,
      delivery.stepId,
      delivery.messageId,
      delivery.method,
      delivery.recipientDomain,
      delivery.recipientHash,
      delivery.mimeSha256,
      delivery.envelopeId ?? null,
    ],
  );
  return toDelivery(result.rows[0] as DeliveryRow);
}

/** Records how a delivery ended (or that it will be retried). */
export async function settleDelivery(
  db: Queryable,
  settlement: {
    workflowId: string;
    stepId: string;
    messageId: string;
    state: Exclude<DeliveryState, 'in_flight'>;
    reason?: string | undefined;
    method?: string | undefined;
    smtpCode?: number | undefined;
    tls?: Record<string, unknown> | undefined;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO deliveries (id, workflow_id, step_id, message_id, state, reason, method, smtp_code, tls)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (workflow_id, step_id) DO UPDATE SET state = EXCLUDED.state,
       reason = EXCLUDED.reason, method = COALESCE(EXCLUDED.method, deliveries.method),
       smtp_code = EXCLUDED.smtp_code, tls = COALESCE(EXCLUDED.tls, deliveries.tls),
       updated_at = now()`,
    [
      randomUUID(),
      settlement.workflowId,
      settlement.stepId,
      settlement.messageId,
      settlement.state,
      settlement.reason ?? null,
      settlement.method ?? null,
      settlement.smtpCode ?? null,
      settlement.tls === undefined ? null : JSON.stringify(settlement.tls),
    ],
  );
}

interface DeliveryRow {
  id: string;
  workflow_id: string;
  step_id: string;
  message_id: string;
  state: DeliveryState;
  attempts: number;
  resent_after_unknown: boolean;
  method: string | null;
  reason: string | null;
  smtp_code: number | null;
  created_at: Date;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    stepId: row.step_id,
    messageId: row.message_id,
    state: row.state,
    attempts: row.attempts,
    resentAfterUnknown: row.resent_after_unknown,
    method: row.method,
    reason: row.reason,
    smtpCode: row.smtp_code,
    createdAt: row.created_at.toISOString(),
  };
}
