import { DateTime } from 'luxon';
import type { ConsentDecision } from '../../engine/consent/decide-consent.js';
import { AppError } from '../../engine/errors/app-error.js';
import { type PatientRecord, patientFieldValues } from '../../engine/events/patient-record.js';
import { type RenderedMessage, renderMessage } from '../../engine/templates/render.js';
import { appendAudit } from '../../server/db/audit.store.js';
import { issueUnsubscribeToken } from '../../server/db/unsubscribe-tokens.store.js';
import type { ActivityDeps } from '../activity-deps.js';
import { escrowMessage } from '../portal/escrow.js';
import { portalNotification } from '../portal/notification.js';
import { auditBase, type SendContext } from './send-outcome.js';

type Allowed = Extract<ConsentDecision, { allowed: true }>;

/** Escrows the message in the portal and returns the PHI-free notification that links to it. */
export async function portalNotice(
  deps: ActivityDeps,
  context: SendContext,
  address: string,
  content: RenderedMessage,
): Promise<RenderedMessage> {
  const expires = DateTime.now().plus({ days: deps.compliance.portalTtlDays });
  const token = await escrowMessage(deps, {
    patientId: context.input.patientId,
    workflowId: context.input.workflowId,
    stepId: context.input.stepId,
    messageId: context.messageId,
    address,
    content,
    expiresAt: expires.toUTC().toISO() ?? '',
  });
  const zone = deps.settings.orgTimeZone;
  return portalNotification(
    `${deps.settings.publicUrl}/m/${token}`,
    expires.setZone(zone).setLocale('en-US').toFormat('LLLL d, yyyy'),
    deps.settings.orgName,
  );
}

/** The one-click unsubscribe links of a marketing message (RFC 8058), one token per message. */
export async function unsubscribeLinks(
  deps: ActivityDeps,
  context: SendContext,
  address: string,
): Promise<{ https: string; mailto: string }> {
  const token = await issueUnsubscribeToken(deps.pool, deps.keyring, {
    address,
    patientId: context.input.patientId,
    messageId: context.messageId,
    seed: `${context.input.workflowId}\u0000${context.input.stepId}`,
  });
  return {
    https: `${deps.settings.publicUrl}/u/${token}`,
    mailto: `mailto:${deps.compliance.unsubscribeMailto}?subject=unsubscribe%20${token}`,
  };
}

/** Every value a template of this send could read, by dotted path (only declared ones are used). */
export async function contentValues(
  deps: ActivityDeps,
  context: SendContext,
  consent: Allowed,
): Promise<Record<string, unknown>> {
  const { patient, event } = context;
  const values: Record<string, unknown> = {
    ...patientFieldValues(patient),
    'patient.timeZone': context.zone,
    'organisation.name': deps.settings.orgName,
    'organisation.postalAddress': deps.compliance.orgPostalAddress,
  };
  if (consent.purpose === 'marketing') {
    values['links.unsubscribe'] = (await unsubscribeLinks(deps, context, consent.address)).https;
  }
  for (const [group, members] of Object.entries(event.data)) {
    if (members !== null && typeof members === 'object' && !Array.isArray(members)) {
      for (const [name, value] of Object.entries(members as Record<string, unknown>)) {
        values[`${group}.${name}`] = value;
      }
    }
  }
  return values;
}

/** Renders the template, auditing a render failure before it is thrown. */
export async function renderOrAudit(
  deps: ActivityDeps,
  context: SendContext,
  values: Record<string, unknown>,
): Promise<RenderedMessage> {
  try {
    return renderMessage(context.step.template, values, context.zone);
  } catch (error) {
    const reason = error instanceof AppError ? error.code : 'template_render_failed';
    await appendAudit(deps.pool, {
      ...auditBase(context, undefined),
      decision: 'blocked',
      reason,
      details: { stage: 'render', ...context.evidence },
    });
    throw error;
  }
}

/** The patient's own values, which no header may contain (AC-PHI-1). */
export function patientValuesOf(patient: PatientRecord, address: string): string[] {
  return [patient.firstName, patient.lastName, patient.displayName, patient.email, address].filter(
    (value): value is string => value !== undefined,
  );
}
