import { classifyPurpose } from '../../engine/consent/classify-purpose.js';
import type { ConsentFacts, ContactAddress } from '../../engine/consent/decide-consent.js';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { PatientRecord } from '../../engine/events/patient-record.js';
import type { PlanStep } from '../../engine/plan/plan.types.js';
import type { ProtectionFacts } from '../../engine/protection/decide-protection.js';
import { listAuthorizations } from '../../server/db/authorizations.store.js';
import {
  findConfidentialRequest,
  findPreference,
  findPrimaryContactPoint,
  findRestriction,
} from '../../server/db/consent.store.js';
import type { Delivery } from '../../server/db/deliveries.store.js';
import { findEmailOptOut } from '../../server/db/opt-outs.store.js';
import { activeSuppressions } from '../../server/db/suppressions.store.js';
import { findNewestPgpKey } from '../../server/db/pgp-keys.store.js';
import type { ActivityDeps } from '../activity-deps.js';
import { checkRecipientKey, type KeyCheck, type RegisteredKey } from '../pgp/recipient-key.js';
import type { PostureReading } from '../posture/posture-source.js';

type SendStep = Extract<PlanStep, { kind: 'send.email' }>;

/** How long an unknown posture defers a send before it is treated as no TLS (row 11). */
export const UNKNOWN_POSTURE_WINDOW_MS = 4 * 3_600_000;

/**
 * Reads every record the consent rules look at, now: the patient's addresses, confidential
 * requests, opt-outs, suppressions of the address that would be used, restrictions on the
 * event's subject, and, for marketing, the authorizations. Nothing is cached across attempts.
 */
export async function gatherConsentFacts(
  deps: ActivityDeps,
  send: { step: SendStep; event: CareEvent; patient: PatientRecord; patientId: string },
  now: string,
): Promise<ConsentFacts & { preferenceVersion?: number }> {
  const { step, event, patient, patientId } = send;
  const zone = deps.settings.orgTimeZone;
  const lastActive = (event.data as { prescription?: { lastActiveOn?: string } }).prescription
    ?.lastActiveOn;
  const classified = classifyPurpose(step, lastActive, { now, zone });

  const recorded = await findPrimaryContactPoint(deps.pool, deps.keyring, patientId);
  const address: ContactAddress | undefined =
    recorded ??
    (patient.email === undefined ? undefined : { address: patient.email, source: 'ehr' });
  const confidential = await findConfidentialRequest(deps.pool, deps.keyring, patientId, now);
  const target = confidential?.address ?? address?.address;
  const suppressions =
    target === undefined ? [] : await activeSuppressions(deps.pool, deps.keyring, target);
  const emailOptOut = await findEmailOptOut(deps.pool, patientId, classified.purpose);
  const restriction = await findRestriction(deps.pool, patientId, subjectsOf(event));
  const authorizations =
    classified.purpose === 'marketing' ? await listAuthorizations(deps.pool, patientId) : [];

  return {
    classified,
    isDeceased: patient.deceased,
    address,
    confidential,
    emailOptOut,
    suppressions,
    restriction,
    authorizations,
    campaign:
      step.campaign === undefined
        ? undefined
        : { ...step.campaign, thirdPartyRemuneration: step.thirdPartyRemuneration === true },
    policy: { acceptEhrAddresses: deps.compliance.acceptEhrAddresses },
    now,
    orgTimeZone: zone,
  };
}

/** What the protection rules look at for one recipient address, now (AC-DEC-13). */
export async function gatherProtectionFacts(
  deps: ActivityDeps,
  send: { step: SendStep; patientId: string; purpose: ProtectionFacts['purpose']; address: string },
  prior: Delivery | undefined,
  now: string,
): Promise<{
  facts: ProtectionFacts;
  posture: PostureReading;
  preferenceVersion?: number;
  key?: { registered: RegisteredKey; check: KeyCheck };
}> {
  const domain = send.address.slice(send.address.lastIndexOf('@') + 1).toLowerCase();
  const posture = await deps.posture(domain);
  const preference = await findPreference(deps.pool, send.patientId);
  // AC-PGP-1: the key is checked against this address at this moment, every attempt.
  const registered = await findNewestPgpKey(deps.pool, deps.keyring, send.patientId);
  const check =
    registered === undefined
      ? undefined
      : await checkRecipientKey(registered, send.address, new Date(now));
  const unknownSince =
    prior?.reason === 'capability_unknown_deferred' ? Date.parse(prior.createdAt) : undefined;
  const compliance = deps.compliance;
  return {
    posture,
    ...(preference === undefined ? {} : { preferenceVersion: preference.version }),
    ...(registered === undefined || check === undefined ? {} : { key: { registered, check } }),
    facts: {
      policy: send.step.protection,
      purpose: send.purpose,
      sensitivity: send.step.template.sensitivity,
      transport: posture.transport,
      isUnknownPastWindow:
        unknownSince !== undefined && Date.parse(now) - unknownSince > UNKNOWN_POSTURE_WINDOW_MS,
      hasValidKey: check?.usable === true,
      patientPreference: preference?.preference ?? 'any',
      unencryptedAcceptance: preference?.unencryptedAcceptance,
      isEmailExcluded: false,
      org: {
        allowPatientAcceptedUnencrypted: compliance.allowPatientAcceptedUnencrypted,
        allowOpportunisticForS0: compliance.allowOpportunisticForS0,
        marketingFallback: compliance.marketingFallback,
        forcePortal: compliance.forcePortal,
      },
    },
  };
}

// A restriction can name the event's subject itself or the encounter or appointment it is about.
function subjectsOf(event: CareEvent): string[] {
  const subjects = [`${event.subject.resourceType}/${event.subject.id}`];
  const data = event.data as { appointment?: { id?: string }; encounter?: { id?: string } };
  if (data.appointment?.id !== undefined) {
    subjects.push(`Appointment/${data.appointment.id}`);
  }
  if (data.encounter?.id !== undefined) {
    subjects.push(`Encounter/${data.encounter.id}`);
  }
  return subjects;
}
