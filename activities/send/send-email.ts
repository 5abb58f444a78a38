import { decideConsent } from '../../engine/consent/decide-consent.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { CareEvent } from '../../engine/events/care-event.js';
import { type PatientRecord, patientFieldValues } from '../../engine/events/patient-record.js';
import { runTimeZone } from '../../engine/interpreter/facts.js';
import type { SendReport } from '../../engine/interpreter/interpret.js';
import type { PlanStep } from '../../engine/plan/plan.types.js';
import { decideProtection } from '../../engine/protection/decide-protection.js';
import { renderMessage } from '../../engine/templates/render.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { type AuditEntry, appendAudit } from '../../server/db/audit.store.js';
import { findDelivery, markInFlight, settleDelivery } from '../../server/db/deliveries.store.js';
import { loadEvent } from '../../server/db/inbox.store.js';
import { loadVersion } from '../../server/db/journeys.store.js';
import { findEmailOptOut } from '../../server/db/opt-outs.store.js';
import { loadPatient } from '../../server/db/patients.store.js';
import type { ActivityDeps } from '../activity-deps.js';
import { type RunProgress, recordRunSteps } from '../record-run-end.js';
import { deliver } from '../smtp/smtp-delivery.js';
import { buildMime } from './build-mime.js';

/** Which send of which run: references only, so Temporal history carries no PHI. */
export interface SendEmailInput {
  workflowId: string;
  journeyId: string;
  versionId: string;
  stepId: string;
  /** The latest event about the subject (a reschedule replaces the trigger's). */
  eventId: string;
  patientId: string;
  /** The run's steps since it last reported, recorded on the way. */
  progress: Omit<RunProgress, 'workflowId'>;
}

type SendStep = Extract<PlanStep, { kind: 'send.email' }>;

interface SendContext {
  input: SendEmailInput;
  step: SendStep;
  event: CareEvent;
  patient: PatientRecord;
  messageId: string;
}

/**
 * One attempt at one send: consent, then protection, then render, then deliver, then record,
 * all decided afresh in this attempt. A message the ledger says the peer already accepted is
 * never sent again; a blocked send opens no SMTP connection.
 */
export async function sendEmail(deps: ActivityDeps, input: SendEmailInput): Promise<SendReport> {
  await recordRunSteps(deps, { workflowId: input.workflowId, ...input.progress });
  const context = await loadContext(deps, input);
  const prior = await findDelivery(deps.pool, input.workflowId, input.stepId);
  if (prior?.state === 'accepted') {
    return { outcome: 'sent', reason: 'already_accepted' };
  }

  const optOut = await findEmailOptOut(deps.pool, input.patientId, context.step.purpose);
  const consent = decideConsent({
    purpose: context.step.purpose,
    hasEmailAddress: context.patient.email !== undefined,
    isDeceased: context.patient.deceased,
    emailOptOut: optOut,
  });
  if (!consent.allowed) {
    return block(deps, context, { reason: consent.reason, details: { stage: 'consent' } });
  }

  const protection = decideProtection({
    policy: context.step.protection,
    sensitivity: context.step.template.sensitivity,
  });
  if (protection.method === 'blocked') {
    return block(deps, context, { reason: protection.reason, details: { stage: 'protection' } });
  }

  return deliverMessage(deps, context, consent.reason, protection.method);
}

async function deliverMessage(
  deps: ActivityDeps,
  context: SendContext,
  consentReason: string,
  method: 'tls_verified',
): Promise<SendReport> {
  const { input, patient } = context;
  const to = patient.email as string;
  const zone = runTimeZone(
    context.event,
    { timeZone: patient.timeZone, fields: {} },
    deps.settings.orgTimeZone,
  );
  const rendered = await renderOrAudit(deps, context, zone);
  const built = await buildMime(rendered, {
    from: deps.settings.from,
    to,
    messageId: context.messageId,
    reference: sha256Hex(`${input.workflowId}\u0000${input.stepId}\u0000ref`).slice(0, 24),
  });
  const recipientDomain = to.slice(to.lastIndexOf('@') + 1).toLowerCase();
  const ledgerKey = {
    workflowId: input.workflowId,
    stepId: input.stepId,
    messageId: context.messageId,
  };

  const result = await deliver(deps.smtp, {
    from: deps.settings.from.address,
    to,
    raw: built.raw,
    beforeTransmit: async () => {
      const row = await markInFlight(deps.pool, {
        ...ledgerKey,
        method,
        recipientDomain,
        recipientHash: deps.keyring.lookupHash(to.toLowerCase()),
        mimeSha256: built.sha256,
      });
      if (row.resentAfterUnknown) {
        deps.log.warn(
          { workflowId: input.workflowId, stepId: input.stepId },
          'Resending after an unknown outcome',
        );
      }
    },
  });
  const audit = auditBase(context, recipientDomain);

  switch (result.kind) {
    case 'accepted': {
      const row = await findDelivery(deps.pool, input.workflowId, input.stepId);
      await settleDelivery(deps.pool, {
        ...ledgerKey,
        state: 'accepted',
        method,
        smtpCode: result.smtpCode,
        tls: { ...result.tls },
      });
      await appendAudit(deps.pool, {
        ...audit,
        decision: 'allowed',
        reason: consentReason,
        method,
        details: {
          smtpCode: result.smtpCode,
          tls: result.tls,
          mimeSha256: built.sha256,
          resentAfterUnknown: row?.resentAfterUnknown === true,
        },
      });
      return row?.resentAfterUnknown === true
        ? { outcome: 'sent', reason: 'resent_after_unknown_outcome' }
        : { outcome: 'sent' };
    }
    case 'tls_failed':
      return block(deps, context, {
        reason: result.reason,
        details: { stage: 'transport', resultType: result.resultType },
        recipientDomain,
      });
    case 'rejected':
      await settleDelivery(deps.pool, {
        ...ledgerKey,
        state: 'rejected',
        reason: 'smtp_rejected',
        smtpCode: result.smtpCode,
      });
      await appendAudit(deps.pool, {
        ...audit,
        decision: 'allowed',
        reason: 'smtp_rejected',
        method,
        details: { smtpCode: result.smtpCode, enhancedStatus: result.enhancedStatus ?? null },
      });
      return { outcome: 'rejected', reason: 'smtp_rejected' };
    case 'deferred':
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

async function renderOrAudit(deps: ActivityDeps, context: SendContext, zone: string) {
  try {
    return renderMessage(context.step.template, renderValues(deps, context, zone), zone);
  } catch (error) {
    const reason = error instanceof AppError ? error.code : 'template_render_failed';
    await appendAudit(deps.pool, {
      ...auditBase(context, undefined),
      decision: 'blocked',
      reason,
      details: { stage: 'render' },
    });
    throw error;
  }
}

interface Blocked {
  reason: string;
  details: Record<string, unknown>;
  recipientDomain?: string;
}

async function block(
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
    details,
  });
  deps.log.info({ workflowId: input.workflowId, stepId: input.stepId, reason }, 'Send blocked');
  return { outcome: 'blocked', reason };
}

function auditBase(context: SendContext, recipientDomain: string | undefined): AuditEntry {
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
    purpose: step.purpose,
    ...(recipientDomain === undefined ? {} : { recipientDomain }),
  };
}

async function loadContext(deps: ActivityDeps, input: SendEmailInput): Promise<SendContext> {
  const version = await loadVersion(deps.pool, input.versionId);
  const step = version?.plan.steps[input.stepId];
  if (step?.kind !== 'send.email') {
    throw new AppError(
      'internal_error',
      `Version "${input.versionId}" has no send step "${input.stepId}".`,
    );
  }
  const event = await loadEvent(deps.pool, deps.keyring, input.eventId);
  const patient = await loadPatient(deps.pool, deps.keyring, input.patientId);
  if (event === undefined || patient === undefined) {
    throw new AppError(
      'internal_error',
      `Event "${input.eventId}" or patient "${input.patientId}" is missing from the database.`,
    );
  }
  const messageId = `<${sha256Hex(`${input.workflowId}\u0000${input.stepId}`).slice(0, 32)}@${domainOf(deps.settings.from.address)}>`;
  return { input, step, event, patient, messageId };
}

function renderValues(
  deps: ActivityDeps,
  context: SendContext,
  zone: string,
): Record<string, unknown> {
  const { patient, event } = context;
  const values: Record<string, unknown> = {
    ...patientFieldValues(patient),
    'patient.timeZone': zone,
    'organisation.name': deps.settings.orgName,
  };
  for (const [group, members] of Object.entries(event.data)) {
    if (members !== null && typeof members === 'object' && !Array.isArray(members)) {
      for (const [name, value] of Object.entries(members as Record<string, unknown>)) {
        values[`${group}.${name}`] = value;
      }
    }
  }
  return values;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
