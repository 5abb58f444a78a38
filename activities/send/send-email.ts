import { type ConsentDecision, decideConsent } from '../../engine/consent/decide-consent.js';
import { AppError } from '../../engine/errors/app-error.js';
import { runTimeZone } from '../../engine/interpreter/facts.js';
import type { SendReport } from '../../engine/interpreter/interpret.js';
import {
  decideProtection,
  type ProtectionDecision,
  type ProtectionFacts,
} from '../../engine/protection/decide-protection.js';
import type { TransportPosture } from '../../engine/protection/protection-inputs.js';
import { lintHeaderParts } from '../../engine/templates/header-lint.js';
import type { RenderedMessage } from '../../engine/templates/render.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { appendAudit } from '../../server/db/audit.store.js';
import { findDelivery, settleDelivery } from '../../server/db/deliveries.store.js';
import { loadEvent } from '../../server/db/inbox.store.js';
import { loadVersion } from '../../server/db/journeys.store.js';
import { loadPatient } from '../../server/db/patients.store.js';
import type { ActivityDeps } from '../activity-deps.js';
import { requestVerification } from './address-verification.js';
import type { KeyCheck } from '../pgp/recipient-key.js';
import { type RunProgress, recordRunSteps } from '../record-run-end.js';
import { gatherConsentFacts, gatherProtectionFacts } from './gather-facts.js';
import {
  contentValues,
  patientValuesOf,
  portalNotice,
  renderOrAudit,
  unsubscribeLinks,
} from './message-content.js';
import { auditBase, block, handOver, type SendContext } from './send-outcome.js';

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

type Allowed = Extract<ConsentDecision, { allowed: true }>;
type Delivered = Extract<ProtectionDecision, { outcome: 'deliver' }>;

/**
 * One attempt at one send: consent, then protection, then render, then deliver, then record,
 * all decided afresh in this attempt (COMPLIANCE.md AC-DEC-13, AC-SUP-3). A message the ledger
 * says the peer already accepted is never sent again; a blocked send opens no SMTP connection.
 */
export async function sendEmail(deps: ActivityDeps, input: SendEmailInput): Promise<SendReport> {
  await recordRunSteps(deps, { workflowId: input.workflowId, ...input.progress });
  const context = await loadContext(deps, input);
  const prior = await findDelivery(deps.pool, input.workflowId, input.stepId);
  if (prior?.state === 'accepted') {
    return { outcome: 'sent', reason: 'already_accepted' };
  }
  const now = new Date().toISOString();

  const consentFacts = await gatherConsentFacts(
    deps,
    { ...context, patientId: input.patientId },
    now,
  );
  const consent = decideConsent(consentFacts);
  context.evidence.classification = consentFacts.classified;
  if (!consent.allowed) {
    const verification =
      consent.reason === 'address_unverified' && consentFacts.address !== undefined
        ? await requestVerification(deps, input.patientId, consentFacts.address)
        : undefined;
    return block(deps, context, {
      reason: consent.reason,
      details: {
        stage: 'consent',
        ...consent.details,
        ...(verification === undefined ? {} : { verification }),
      },
    });
  }
  context.evidence.consent = consentEvidence(consent);

  const { facts, posture, preferenceVersion, key } = await gatherProtectionFacts(
    deps,
    {
      step: context.step,
      patientId: input.patientId,
      purpose: consent.purpose,
      address: consent.address,
    },
    prior,
    now,
  );
  const protection = decideProtection(facts);
  context.evidence.protection = {
    row: protection.row,
    posture: posture.transport,
    postureSource: posture.source,
    ...(preferenceVersion === undefined ? {} : { preferenceVersion }),
    ...(key === undefined ? {} : { key: keyEvidence(key.check) }),
  };
  context.recipientKey = key?.check.usable === true ? key.registered : undefined;
  if (posture.refusal !== undefined) {
    // AC-STS-1: an enforced MTA-STS policy leaves no MX Pathwell may deliver to.
    return block(deps, context, {
      reason: posture.refusal.reason,
      details: { stage: 'transport', resultType: posture.refusal.resultType },
      recipientDomain: domainOf(consent.address),
    });
  }
  if (protection.outcome === 'blocked') {
    return block(deps, context, { reason: protection.reason, details: { stage: 'protection' } });
  }
  if (protection.outcome === 'deferred') {
    return defer(deps, context);
  }
  return deliverWith(deps, context, { consent, protection });
}

/** What a delivery attempt carries from one decision to the next. */
interface Attempt {
  content: RenderedMessage;
  /** Set on the decision made after a downgrade: a second one is not looked for. */
  isFallback: boolean;
}

async function deliverWith(
  deps: ActivityDeps,
  context: SendContext,
  chosen: { consent: Allowed; protection: Delivered },
  attempt?: Attempt,
): Promise<SendReport> {
  const { consent, protection } = chosen;
  const address = consent.address;
  const content =
    attempt?.content ??
    (await renderOrAudit(deps, context, await contentValues(deps, context, consent)));
  const findings = lintHeaderParts(
    content,
    deps.compliance.sensitiveLexicon,
    patientValuesOf(context.patient, address),
  );
  if (findings.length > 0) {
    // AC-PHI-1: a header that names a condition, a drug, a specialty or the patient is never
    // sent, whatever protects the body; the template must change.
    return block(deps, context, {
      reason: 'phi_in_subject_detected',
      details: {
        stage: 'render',
        parts: [...new Set(findings.map((finding) => finding.part))],
        kinds: [...new Set(findings.map((finding) => finding.kind))],
      },
    });
  }
  const marketing = consent.purpose === 'marketing';
  const unsubscribe = marketing ? await unsubscribeLinks(deps, context, address) : undefined;
  const common = {
    to: address,
    allowedReason: consent.reason,
    protectionReason: protection.reason,
    unsubscribe,
    hop: protection.hop,
    ...(attempt?.isFallback === true
      ? {}
      : {
          onDowngrade: (observed: TransportPosture) =>
            redecide(deps, context, consent, { content, observed }),
        }),
  };

  switch (protection.method) {
    case 'portal': {
      const notification = await portalNotice(deps, context, address, content);
      return handOver(deps, context, { ...common, message: notification, method: 'portal' });
    }
    case 'pgp':
      if (context.recipientKey === undefined) {
        throw new AppError('internal_error', 'PGP was chosen without a usable recipient key.');
      }
      return handOver(deps, context, {
        ...common,
        message: content,
        method: 'pgp',
        encryptTo: context.recipientKey,
        reroute: () => rerouteToPortal(deps, context, consent, content),
      });
    case 'tls_verified':
    case 'unencrypted_patient_accepted':
    case 'tls_opportunistic':
      return handOver(deps, context, {
        ...common,
        message: content,
        method: protection.method,
        ...(protection.warningVersion === undefined
          ? {}
          : { warningVersion: protection.warningVersion }),
        reroute: () => rerouteToPortal(deps, context, consent, content),
      });
  }
}

// AC-ENC-1: the delivery met less than the posture promised; decide again for what it met.
// A decision that sends nothing (marketing without verified TLS) leaves the downgrade's block.
async function redecide(
  deps: ActivityDeps,
  context: SendContext,
  consent: Allowed,
  fallback: { content: RenderedMessage; observed: TransportPosture },
): Promise<SendReport | undefined> {
  const facts = await protectionFactsFor(deps, context, consent);
  const decision = decideProtection({ ...facts, transport: fallback.observed });
  context.evidence.protection = {
    ...context.evidence.protection,
    row: decision.row,
    posture: fallback.observed,
    postureSource: 'delivery',
  };
  if (decision.outcome !== 'deliver') {
    return undefined;
  }
  return deliverWith(
    deps,
    context,
    { consent, protection: decision },
    {
      content: fallback.content,
      isFallback: true,
    },
  );
}

async function protectionFactsFor(
  deps: ActivityDeps,
  context: SendContext,
  consent: Allowed,
): Promise<ProtectionFacts> {
  const { facts } = await gatherProtectionFacts(
    deps,
    {
      step: context.step,
      patientId: context.input.patientId,
      purpose: consent.purpose,
      address: consent.address,
    },
    undefined,
    new Date().toISOString(),
  );
  return facts;
}

// AC-BNC-3: a 5.7.x refusal (TLS or policy) re-routes through the portal when the table allows
// it for this purpose, instead of suppressing the patient.
async function rerouteToPortal(
  deps: ActivityDeps,
  context: SendContext,
  consent: Allowed,
  content: RenderedMessage,
): Promise<SendReport | undefined> {
  const facts = await protectionFactsFor(deps, context, consent);
  const decision = decideProtection({ ...facts, transport: 'tls_unverified' });
  if (decision.outcome !== 'deliver' || decision.method !== 'portal') {
    return undefined;
  }
  const notification = await portalNotice(deps, context, consent.address, content);
  return handOver(deps, context, {
    to: consent.address,
    message: notification,
    method: 'portal',
    allowedReason: consent.reason,
    protectionReason: 'smtp_policy_rejected_fallback_portal',
    unsubscribe: undefined,
    hop: decision.hop,
  });
}

async function defer(deps: ActivityDeps, context: SendContext): Promise<never> {
  const { input } = context;
  await settleDelivery(deps.pool, {
    workflowId: input.workflowId,
    stepId: input.stepId,
    messageId: context.messageId,
    state: 'deferred',
    reason: 'capability_unknown_deferred',
  });
  await appendAudit(deps.pool, {
    ...auditBase(context, undefined),
    decision: 'deferred',
    reason: 'capability_unknown_deferred',
    details: { stage: 'protection', ...context.evidence },
  });
  throw new AppError(
    'capability_unknown_deferred',
    "The recipient domain's TLS posture is unknown; the send is retried, and after 4 hours decided as if it had no TLS.",
  );
}

// AC-PGP-1: a registered key that fails a check is audited as key_invalid, with every reason.
function keyEvidence(check: KeyCheck): Record<string, unknown> {
  return check.usable
    ? { fingerprint: check.fingerprint, usable: true }
    : { fingerprint: check.fingerprint, reason: 'key_invalid', problems: check.problems };
}

function consentEvidence(consent: Allowed): Record<string, unknown> {
  return {
    reason: consent.reason,
    purpose: consent.purpose,
    ...(consent.authorization === undefined ? {} : { authorization: consent.authorization }),
    ...(consent.confidentialRequestId === undefined
      ? {}
      : { confidentialRequestId: consent.confidentialRequestId }),
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
  const fromDomain = domainOf(deps.settings.from.address);
  const messageId = `<${sha256Hex(`${input.workflowId}\u0000${input.stepId}`).slice(0, 32)}@${fromDomain}>`;
  const zone = runTimeZone(
    event,
    { timeZone: patient.timeZone, fields: {} },
    deps.settings.orgTimeZone,
  );
  return { input, step, event, patient, messageId, zone, evidence: {} };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
