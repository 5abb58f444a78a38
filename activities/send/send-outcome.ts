import { classifyBounce } from '../../engine/bounces/classify-status.js';
import type { ClassifiedPurpose } from '../../engine/consent/classify-purpose.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { PatientRecord } from '../../engine/events/patient-record.js';
import type { SendReport } from '../../engine/interpreter/interpret.js';
import type { PlanStep } from '../../engine/plan/plan.types.js';
import type {
  HopRequirement,
  ProtectionMethod,
} from '../../engine/protection/decide-protection.js';
import type { TransportPosture } from '../../engine/protection/protection-inputs.js';
import type { RenderedMessage } from '../../engine/templates/render.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { type AuditEntry, appendAudit } from '../../server/db/audit.store.js';
import { findDelivery, markInFlight, settleDelivery } from '../../server/db/deliveries.store.js';
import { recordAddressOutcome } from '../../server/bounces/record-outcome.js';
import { addressHash } from '../../server/db/suppressions.store.js';
import type { ActivityDeps } from '../activity-deps.js';
import { recordObservedPosture } from '../posture/observed-posture.js';
import type { TransportResult } from '../smtp/mail-transport.js';
import type { RegisteredKey } from '../pgp/recipient-key.js';
import { buildMime } from './build-mime.js';
import { buildPgpMime } from './build-pgp-mime.js';
import type { SendEmailInput } from './send-email.js';

/** Everything one send attempt knows, and the evidence its audit row will carry. */
export interface SendContext {
  input: SendEmailInput;
  step: Extract<PlanStep, { kind: 'send.email' }>;
  event: CareEvent;
  patient: PatientRecord;
  messageId: string;
  zone: string;
  /** The recipient's usable PGP key, when the protection facts found one. */
  recipientKey?: RegisteredKey | undefined;
  /** Which rules allowed the send, collected on the way (COMPLIANCE.md §3.2, AC-BR-1). */
  evidence: {
    classification?: ClassifiedPurpose;
    consent?: Record<string, unknown>;
    protection?: Record<string, unknown>;
  };
}

/** One message to hand over, and how the audit row will explain it. */
export interface Handover {
  to: string;
  message: RenderedMessage;
  method: ProtectionMethod;
  allowedReason: string;
  protectionReason: string;
  unsubscribe: { https: string; mailto: string } | undefined;
  warningVersion?: string;
  /** What the hop to the recipient must offer (the protection decision's `hop`). */
  hop: HopRequirement;
  /** PGP: the recipient's checked key; the message is built as PGP/MIME encrypted to it. */
  encryptTo?: RegisteredKey | undefined;
  /** Called on a 5.7.x refusal: a re-routed send's report, or undefined to record a failure. */
  reroute?: () => Promise<SendReport | undefined>;
  /**
   * Called when direct delivery found less than the posture promised (AC-ENC-1): the send
   * decided again for what was observed, or undefined when that decision sends nothing.
   */
  onDowngrade?: (observed: TransportPosture) => Promise<SendReport | undefined>;
}

/**
 * Builds, signs and hands over one message, then records the outcome in the ledger and the
 * audit trail: accepted (250), rejected (5xx, with a suppression for 5.1.x), re-routed (5.7.x),
 * or retried (4xx, dropped connection) through a thrown `smtp_transient_failure`.
 */
export async function handOver(
  deps: ActivityDeps,
  context: SendContext,
  handover: Handover,
): Promise<SendReport> {
  const { input } = context;
  const reference = sha256Hex(`${input.workflowId}\u0000${input.stepId}\u0000ref`).slice(0, 24);
  const envelope = {
    from: deps.settings.from,
    to: handover.to,
    messageId: context.messageId,
    reference,
    unsubscribe: handover.unsubscribe,
    dkim: deps.dkim,
  };
  const built =
    handover.encryptTo === undefined
      ? await buildMime(handover.message, envelope)
      : await buildPgpMime(handover.message, { ...envelope, key: handover.encryptTo });
  const recipientDomain = handover.to.slice(handover.to.lastIndexOf('@') + 1).toLowerCase();
  const ledgerKey = {
    workflowId: input.workflowId,
    stepId: input.stepId,
    messageId: context.messageId,
  };
  const { method } = handover;

  const result = await deps.transport.send({
    from: deps.settings.from.address,
    to: handover.to,
    raw: built.raw,
    envelopeId: reference,
    hop: handover.hop,
    beforeTransmit: async () => {
      const row = await markInFlight(deps.pool, {
        ...ledgerKey,
        method,
        recipientDomain,
        recipientHash: addressHash(deps.keyring, handover.to),
        mimeSha256: built.sha256,
        envelopeId: reference,
      });
      if (row.resentAfterUnknown) {
        deps.log.warn(
          { workflowId: input.workflowId, stepId: input.stepId },
          'Resending after an unknown outcome',
        );
      }
    },
  });
  const audit = {
    ...auditBase(context, recipientDomain),
    method,
    details: {
      ...context.evidence,
      protectionReason: handover.protectionReason,
      ...(handover.warningVersion === undefined ? {} : { warningVersion: handover.warningVersion }),
      recipientHash: addressHash(deps.keyring, handover.to),
      mimeSha256: built.sha256,
      envelopeId: reference,
    },
  };

  switch (result.kind) {
    case 'accepted': {
      const row = await untilRecorded(() =>
        findDelivery(deps.pool, input.workflowId, input.stepId),
      );
      await untilRecorded(() =>
        settleDelivery(deps.pool, {
          ...ledgerKey,
          state: 'accepted',
          method,
          smtpCode: result.smtpCode,
          tls: { ...result.tls, ...(result.mxHost === undefined ? {} : { mxHost: result.mxHost }) },
        }),
      );
      await recordDirectOutcome(deps, context, {
        address: handover.to,
        outcome: 'delivered',
        smtpCode: result.smtpCode,
      });
      const resent = row?.resentAfterUnknown === true;
      await appendAudit(deps.pool, {
        ...audit,
        decision: 'allowed',
        reason: handover.allowedReason,
        details: {
          ...audit.details,
          smtpCode: result.smtpCode,
          tls: result.tls,
          ...(result.mxHost === undefined ? {} : { mxHost: result.mxHost }),
          resentAfterUnknown: resent,
        },
      });
      if (resent) {
        return { outcome: 'sent', reason: 'resent_after_unknown_outcome' };
      }
      return method === 'tls_verified'
        ? { outcome: 'sent' }
        : { outcome: 'sent', reason: `method_${method}` };
    }
    case 'tls_failed':
      if (isDowngrade(deps, handover, result)) {
        return downgraded(deps, context, { handover, result, recipientDomain });
      }
      return block(deps, context, {
        reason: result.reason,
        details: {
          stage: 'transport',
          resultType: result.resultType,
          ...(result.mxHost === undefined ? {} : { mxHost: result.mxHost }),
        },
        recipientDomain,
      });
    case 'rejected':
      return rejected(deps, context, { handover, audit, ledgerKey, result });
    case 'deferred':
      await recordDirectOutcome(deps, context, {
        address: handover.to,
        outcome: 'transient',
        smtpCode: result.smtpCode,
      });
      await settleDelivery(deps.pool, {
        ...ledgerKey,
        state: 'deferred',
        reason: 'smtp_transient_failure',
        smtpCode: result.smtpCode,
      });
      throw new AppError(
        'smtp_transient_failure',
        `The SMTP peer did not take the message (${result.smtpCode ?? result.errorCode ?? 'no answer'}); Temporal retries with backoff.`,
      );
    case 'unknown':
      throw new AppError(
        'smtp_transient_failure',
        `The SMTP connection ended before the peer answered (${result.errorCode ?? 'no code'}); the retry resends under the same Message-ID.`,
      );
  }
}

// A verified hop that delivery could not get, in direct mode: the posture said verified TLS
// (the decision's hop is verified only then) and the MX offered less.
function isDowngrade(
  deps: ActivityDeps,
  handover: Handover,
  result: Extract<TransportResult, { kind: 'tls_failed' }>,
): boolean {
  return (
    deps.transport.mode === 'direct' &&
    handover.hop === 'verified' &&
    result.reason !== 'mta_sts_mx_mismatch' &&
    handover.onDowngrade !== undefined
  );
}

// AC-ENC-1: nothing goes in clear; the observation replaces the cached posture, the downgrade
// is audited, and the send is decided again for what the MX really offers (§1.9: the portal
// for treatment and operations, drop for marketing).
async function downgraded(
  deps: ActivityDeps,
  context: SendContext,
  failure: {
    handover: Handover;
    result: Extract<TransportResult, { kind: 'tls_failed' }>;
    recipientDomain: string;
  },
): Promise<SendReport> {
  const { handover, result, recipientDomain } = failure;
  const observed = await recordObservedPosture(deps.pool, recipientDomain, result);
  deps.log.warn(
    { workflowId: context.input.workflowId, domain: recipientDomain, observed },
    'TLS downgrade detected',
  );
  const report = await block(deps, context, {
    reason: 'tls_downgrade_detected',
    details: {
      stage: 'transport',
      resultType: result.resultType,
      observed,
      ...(result.mxHost === undefined ? {} : { mxHost: result.mxHost }),
    },
    recipientDomain,
  });
  return (await handover.onDowngrade?.(observed)) ?? report;
}

async function rejected(
  deps: ActivityDeps,
  context: SendContext,
  outcome: {
    handover: Handover;
    audit: AuditEntry & { details: Record<string, unknown> };
    ledgerKey: { workflowId: string; stepId: string; messageId: string };
    result: { smtpCode: number; enhancedStatus: string | undefined };
  },
): Promise<SendReport> {
  const { handover, audit, ledgerKey, result } = outcome;
  const bounce = classifyBounce(result.enhancedStatus, result.smtpCode);
  const reason = bounce === 'policy' ? 'smtp_policy_rejected' : 'smtp_rejected';
  await settleDelivery(deps.pool, {
    ...ledgerKey,
    state: 'rejected',
    reason,
    smtpCode: result.smtpCode,
  });
  await appendAudit(deps.pool, {
    ...audit,
    decision: 'allowed',
    reason,
    details: {
      ...audit.details,
      smtpCode: result.smtpCode,
      enhancedStatus: result.enhancedStatus ?? null,
      bounceClass: bounce,
    },
  });
  // AC-BNC-1: a 5.1.x means the address does not exist; no email of any purpose goes to it
  // again. The same model takes DSNs (server/bounces).
  await recordAddressOutcome(deps.pool, deps.keyring, {
    address: handover.to,
    outcome: bounce,
    status: result.enhancedStatus ?? null,
    source: 'smtp',
    messageId: context.messageId,
    patientId: context.input.patientId,
    occurredAt: new Date().toISOString(),
  });
  if (bounce === 'policy' && handover.reroute !== undefined) {
    const rerouted = await handover.reroute();
    if (rerouted !== undefined) {
      return rerouted;
    }
  }
  return { outcome: 'rejected', reason };
}

// In direct mode the MX's answer is the recipient's own: a 4xx counts toward the soft-bounce
// rule (AC-BNC-2) and a 250 ends a streak. A relay's answers say nothing about the recipient.
async function recordDirectOutcome(
  deps: ActivityDeps,
  context: SendContext,
  answer: { address: string; outcome: 'transient' | 'delivered'; smtpCode: number | undefined },
): Promise<void> {
  const { address, outcome, smtpCode } = answer;
  if (deps.transport.mode !== 'direct' || (outcome === 'transient' && smtpCode === undefined)) {
    return;
  }
  await recordAddressOutcome(deps.pool, deps.keyring, {
    address,
    outcome,
    status: smtpCode === undefined ? null : String(smtpCode),
    source: 'smtp',
    messageId: context.messageId,
    patientId: context.input.patientId,
    occurredAt: new Date().toISOString(),
  });
}

/** A refusal to send, recorded in the ledger and the audit trail. */
export interface Blocked {
  reason: string;
  details: Record<string, unknown>;
  recipientDomain?: string;
}

/** Records a blocked send (no SMTP connection was opened, or none carried the message). */
export async function block(
  deps: ActivityDeps,
  context: SendContext,
  blocked: Blocked,
): Promise<SendReport> {
  const { reason, details, recipientDomain } = blocked;
  const { input } = context;
  await settleDelivery(deps.pool, {
    workflowId: input.workflowId,
    stepId: input.stepId,
    messageId: context.messageId,
    state: 'blocked',
    reason,
  });
  await appendAudit(deps.pool, {
    ...auditBase(context, recipientDomain),
    decision: 'blocked',
    reason,
    details: { ...context.evidence, ...details },
  });
  deps.log.info({ workflowId: input.workflowId, stepId: input.stepId, reason }, 'Send blocked');
  return { outcome: 'blocked', reason };
}

/** The references every send audit row carries: ids and codes, never an address or text. */
export function auditBase(context: SendContext, recipientDomain: string | undefined): AuditEntry {
  const { input, step } = context;
  return {
    actorId: 'pathwell-worker',
    actorType: 'service',
    action: 'send.email',
    patientId: input.patientId,
    journeyId: input.journeyId,
    versionId: input.versionId,
    workflowId: input.workflowId,
    stepId: input.stepId,
    messageId: context.messageId,
    purpose: context.evidence.classification?.purpose ?? step.purpose,
    ...(recipientDomain === undefined ? {} : { recipientDomain }),
  };
}

// The peer has accepted the message: only this attempt knows it. Failing now (the database
// unreachable) would make the retry resend it, so the ledger write is retried here, within
// the activity's two minutes (it heartbeats meanwhile), before the attempt gives up.
const RECORD_BUDGET_MS = 90_000;

async function untilRecorded<T>(write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RECORD_BUDGET_MS;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + delay > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
