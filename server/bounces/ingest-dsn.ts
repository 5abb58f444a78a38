import { dsnOutcome } from '../../engine/bounces/parse-delivery-status.js';
import type { Keyring } from '../crypto/keyring.js';
import { appendAudit } from '../db/audit.store.js';
import { findDeliveryForReport, quarantineReport } from '../db/bounces.store.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { addressHash } from '../db/suppressions.store.js';
import type { Logger } from '../log/logger.js';
import { readDsn } from './read-dsn.js';
import { recordAddressOutcome } from './record-outcome.js';

/** What Pathwell did with one posted report; addresses appear as lookup hashes only. */
export type DsnAnswer =
  | { status: 'quarantined'; id: string; reason: string }
  | {
      status: 'processed';
      messageId: string;
      recipients: Array<{
        recipientHash: string;
        action: string;
        status: string;
        outcome: string;
        /** Whether the recipient is the one Pathwell sent that message to. */
        isCorrelated: boolean;
        suppressed: string | null;
      }>;
    };

const REASONS: Record<string, string> = {
  hard_bounce: 'bounce_hard',
  transient: 'bounce_soft',
  policy: 'bounce_policy',
  permanent: 'bounce_permanent',
  delivered: 'bounce_delivered',
};

/**
 * Takes one posted DSN (COMPLIANCE.md §5.2, AC-BNC-4): reads it, finds the message by ENVID or
 * the returned Message-ID, and records each recipient's outcome in the same model as SMTP
 * answers (suppressions included), with an audit row per recipient. A report that cannot be
 * read, or that names no message Pathwell sent, is quarantined sealed, never dropped. All of
 * it happens in one transaction: nothing is half-recorded.
 */
export async function ingestDsn(
  deps: { pool: Pool; keyring: Keyring; log: Logger },
  raw: Buffer,
): Promise<DsnAnswer> {
  const read = await readDsn(raw);
  const delivery = read.ok
    ? await findDeliveryForReport(deps.pool, {
        envelopeId: read.report.envelopeId ?? read.returnedReference,
        messageId: read.returnedMessageId,
      })
    : undefined;
  if (!read.ok || delivery === undefined) {
    const reason = read.ok ? 'uncorrelated' : read.reason;
    const id = await withTransaction(deps.pool, async (client) => {
      const quarantined = await quarantineReport(client, deps.keyring, { reason, content: raw });
      await appendAudit(client, {
        actorId: 'bounce-hook',
        actorType: 'integration',
        action: 'bounce.dsn',
        reason: 'dsn_quarantined',
        details: { quarantineId: quarantined, why: reason },
      });
      return quarantined;
    });
    deps.log.warn({ quarantineId: id, reason }, 'Delivery report quarantined');
    return { status: 'quarantined', id, reason };
  }

  return withTransaction(deps.pool, async (client) => {
    const recipients = [];
    for (const recipient of read.report.recipients) {
      const hash = addressHash(deps.keyring, recipient.finalRecipient);
      const outcome = dsnOutcome(recipient);
      const isCorrelated = hash === delivery.recipientHash;
      let suppressed: string | null = null;
      if (isCorrelated) {
        const effect = await recordAddressOutcome(client, deps.keyring, {
          address: recipient.finalRecipient,
          outcome,
          status: recipient.status,
          source: 'dsn',
          messageId: delivery.messageId,
          patientId: delivery.patientId ?? undefined,
          occurredAt: pastOrNow(recipient.attemptedAt),
        });
        suppressed = effect.suppressed;
        await appendAudit(client, {
          actorId: 'bounce-hook',
          actorType: 'integration',
          action: 'bounce.dsn',
          reason: effect.suppressed === 'soft_bounce' ? 'soft_bounce_suppressed' : REASONS[outcome],
          workflowId: delivery.workflowId,
          messageId: delivery.messageId,
          ...(delivery.patientId === null ? {} : { patientId: delivery.patientId }),
          details: {
            recipientHash: hash,
            dsnAction: recipient.action,
            status: recipient.status,
            bounceClass: outcome,
            hasDiagnosticCode: recipient.diagnosticCode !== undefined,
            suppressed,
          },
        });
        if (outcome === 'policy') {
          // AC-BNC-3: a TLS or policy refusal is for operators to look at, not the patient's fault.
          deps.log.warn(
            { messageId: delivery.messageId, status: recipient.status },
            'Policy refusal reported',
          );
        }
      }
      recipients.push({
        recipientHash: hash,
        action: recipient.action,
        status: recipient.status,
        outcome,
        isCorrelated,
        suppressed,
      });
    }
    return { status: 'processed' as const, messageId: delivery.messageId, recipients };
  });
}

// A report's own date is used for the soft-bounce window, but never one in the future.
function pastOrNow(value: string | undefined): string {
  const now = Date.now();
  const time = value === undefined ? now : Math.min(Date.parse(value), now);
  return new Date(time).toISOString();
}
