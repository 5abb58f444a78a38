import { randomUUID } from 'node:crypto';
import type { AddressBounce } from '../../engine/bounces/soft-bounce-rule.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

/** Records one outcome for an address (by its lookup hash). */
export async function recordBounceEvent(
  db: Queryable,
  event: {
    addressHash: string;
    messageId: string | null;
    kind: AddressBounce['kind'];
    status: string | null;
    source: 'dsn' | 'smtp';
    occurredAt: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO bounce_events (id, address_hash, message_id, kind, status, source, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      randomUUID(),
      event.addressHash,
      event.messageId,
      event.kind,
      event.status,
      event.source,
      event.occurredAt,
    ],
  );
}

/** An address's newest outcomes, newest first. */
export async function recentBounceEvents(
  db: Queryable,
  addressHash: string,
  limit = 20,
): Promise<AddressBounce[]> {
  const result = await db.query<{
    message_id: string | null;
    kind: AddressBounce['kind'];
    occurred_at: Date;
  }>(
    `SELECT message_id, kind, occurred_at FROM bounce_events WHERE address_hash = $1
     ORDER BY occurred_at DESC LIMIT $2`,
    [addressHash, limit],
  );
  return result.rows.map((row) => ({
    messageId: row.message_id,
    kind: row.kind,
    at: row.occurred_at.toISOString(),
  }));
}

/** Keeps a report Pathwell could not use, sealed (AC-BNC-4). */
export async function quarantineReport(
  db: Queryable,
  keyring: Keyring,
  report: { reason: string; content: Buffer },
): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO quarantined_reports (id, reason, content) VALUES ($1, $2, $3)', [
    id,
    report.reason,
    keyring.seal('fields', report.content, 'quarantined_reports.content'),
  ]);
  return id;
}

/** The delivery a report is about, found by envelope id or Message-ID. */
export async function findDeliveryForReport(
  db: Queryable,
  keys: { envelopeId?: string | undefined; messageId?: string | undefined },
): Promise<
  | {
      workflowId: string;
      messageId: string;
      recipientHash: string | null;
      patientId: string | null;
    }
  | undefined
> {
  const result = await db.query<{
    workflow_id: string;
    message_id: string;
    recipient_hash: string | null;
    patient_id: string | null;
  }>(
    `SELECT d.workflow_id, d.message_id, d.recipient_hash, r.patient_id
     FROM deliveries d LEFT JOIN runs r ON r.workflow_id = d.workflow_id
     WHERE ($1::text IS NOT NULL AND d.envelope_id = $1)
        OR ($2::text IS NOT NULL AND d.message_id = $2)
     ORDER BY d.updated_at DESC LIMIT 1`,
    [keys.envelopeId ?? null, keys.messageId ?? null],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        workflowId: row.workflow_id,
        messageId: row.message_id,
        recipientHash: row.recipient_hash,
        patientId: row.patient_id,
      };
}
