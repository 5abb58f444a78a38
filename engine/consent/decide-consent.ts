import type { Purpose } from '../journey/vocabulary.js';
import {
  type CampaignScope,
  checkAuthorization,
  type MarketingAuthorization,
} from './authorization.js';
import type { ClassifiedPurpose } from './classify-purpose.js';
import { type ActiveSuppression, suppressionBlocks } from './suppression-scopes.js';

/** Where a contact address came from; EHR-supplied addresses count as verified by default. */
export type AddressSource = 'ehr' | 'patient' | 'staff' | 'import';

/** The address a send would use, with what Pathwell knows of its verification. */
export interface ContactAddress {
  address: string;
  source: AddressSource;
  verifiedAt?: string | undefined;
}

/** What the consent rules look at, fetched by the send activity at the moment of sending. */
export interface ConsentFacts {
  /** The purpose after the marketing test (refill lapse, third-party payment). */
  classified: ClassifiedPurpose;
  isDeceased: boolean;
  /** The patient's default email address (from the directory or a recorded contact point). */
  address: ContactAddress | undefined;
  /** A confidential-communication request in force (164.522(b)). */
  confidential?:
    | { channel: 'email' | 'postal' | 'phone' | 'portal'; address?: string | undefined; id: string }
    | undefined;
  /** An email opt-out that covers this purpose, if the patient recorded one. */
  emailOptOut?: { purpose: string; recordedAt: string } | undefined;
  /** Suppressions in force for the address that would be used. */
  suppressions: ActiveSuppression[];
  /** An agreed restriction on the event's subject (164.522(a)). */
  restriction?: { id: string } | undefined;
  /** Marketing only: the patient's newest authorization versions, and the send's programme. */
  authorizations: MarketingAuthorization[];
  campaign?: CampaignScope | undefined;
  policy: { acceptEhrAddresses: boolean };
  now: string;
  orgTimeZone: string;
}

/** Why a send was refused by the consent rules. */
export type ConsentBlockReason =
  | 'patient_deceased'
  | 'restriction_agreed'
  | 'no_email_address'
  | 'confidential_comm_channel_excluded'
  | 'address_unverified'
  | 'suppressed_hard_bounce'
  | 'suppressed_soft_bounce'
  | 'suppressed'
  | 'channel_opt_out'
  | 'unsubscribed'
  | 'authorization_missing'
  | 'authorization_revoked'
  | 'authorization_expired'
  | 'authorization_expired_event'
  | 'authorization_defective'
  | 'authorization_scope_mismatch'
  | NonNullable<ClassifiedPurpose['reclassifiedBy']>;

/** The consent decision for one send, with the reason audited either way. */
export type ConsentDecision =
  | {
      allowed: true;
      reason:
        | 'treatment_contact_ok'
        | 'operations_contact_ok'
        | 'marketing_authorized'
        | 'confidential_comm_address_override';
      purpose: Purpose;
      /** The address to send to: the confidential-communication one when a request names it. */
      address: string;
      authorization?: { id: string; version: number };
      confidentialRequestId?: string;
    }
  | {
      allowed: false;
      reason: ConsentBlockReason;
      details?: Record<string, unknown>;
    };

/**
 * Decides whether a message may be sent to the patient for its purpose (COMPLIANCE.md §2).
 *
 * Treatment and operations need a usable address (verified, or EHR-supplied where the policy
 * accepts that), no channel opt-out, no suppression of their scope and no confidential request
 * that excludes email; marketing also needs a valid, in-scope, unexpired, unrevoked
 * authorization and no commercial unsubscribe. Checked inside the send activity every attempt,
 * never at enrolment, so a revocation that lands while a run sleeps stops the next send.
 */
export function decideConsent(facts: ConsentFacts): ConsentDecision {
  const contact = contactFor(facts);
  if (!contact.ok) {
    return contact.decision;
  }
  const { purpose } = facts.classified;
  const hardBounce = facts.suppressions.find(
    (entry) => entry.scope === 'global' && entry.cause === 'hard_bounce',
  );
  if (hardBounce !== undefined) {
    return { allowed: false, reason: 'suppressed_hard_bounce' };
  }
  const softBounce = facts.suppressions.find(
    (entry) => entry.scope === 'global' && entry.cause === 'soft_bounce',
  );
  if (softBounce !== undefined) {
    // AC-BNC-2: repeated soft bounces suppress every purpose until the suppression expires.
    return { allowed: false, reason: 'suppressed_soft_bounce' };
  }
  if (facts.emailOptOut !== undefined) {
    return { allowed: false, reason: 'channel_opt_out' };
  }
  const blocking = facts.suppressions.find((entry) => suppressionBlocks(entry.scope, purpose));
  if (blocking !== undefined) {
    const reason = blocking.scope === 'commercial' ? 'unsubscribed' : 'suppressed';
    return { allowed: false, reason, details: { scope: blocking.scope, cause: blocking.cause } };
  }
  const override = contact.override;
  if (purpose !== 'marketing') {
    return {
      allowed: true,
      reason:
        override === undefined ? `${purpose}_contact_ok` : 'confidential_comm_address_override',
      purpose,
      address: contact.address,
      ...(override === undefined ? {} : { confidentialRequestId: override }),
    };
  }
  return decideMarketing(facts, contact.address, override);
}

type Contact =
  | { ok: true; address: string; override?: string }
  | { ok: false; decision: ConsentDecision };

function contactFor(facts: ConsentFacts): Contact {
  const refuse = (reason: ConsentBlockReason): Contact => ({
    ok: false,
    decision: { allowed: false, reason },
  });
  if (facts.isDeceased) {
    return refuse('patient_deceased');
  }
  if (facts.restriction !== undefined) {
    return {
      ok: false,
      decision: {
        allowed: false,
        reason: 'restriction_agreed',
        details: { restrictionId: facts.restriction.id },
      },
    };
  }
  const confidential = facts.confidential;
  if (confidential !== undefined && confidential.channel !== 'email') {
    return refuse('confidential_comm_channel_excluded');
  }
  if (confidential?.address !== undefined) {
    // The patient gave this address for PHI: it stands in for the default one (AC-PAT-2).
    return { ok: true, address: confidential.address, override: confidential.id };
  }
  const address = facts.address;
  if (address === undefined) {
    return refuse('no_email_address');
  }
  const isVerified =
    address.verifiedAt !== undefined ||
    (address.source === 'ehr' && facts.policy.acceptEhrAddresses);
  if (!isVerified) {
    return refuse('address_unverified');
  }
  return { ok: true, address: address.address };
}

function decideMarketing(
  facts: ConsentFacts,
  address: string,
  override: string | undefined,
): ConsentDecision {
  const reclassifiedBy = facts.classified.reclassifiedBy;
  const campaign = facts.campaign;
  if (facts.authorizations.length === 0 || campaign === undefined) {
    return { allowed: false, reason: reclassifiedBy ?? 'authorization_missing' };
  }
  // Any one valid authorization suffices; when none is, the newest one's fault is reported.
  const at = { now: facts.now, zone: facts.orgTimeZone };
  const newestFirst = [...facts.authorizations].sort(
    (a, b) => Date.parse(b.signedAt) - Date.parse(a.signedAt),
  );
  let firstFault: ReturnType<typeof checkAuthorization>;
  for (const authorization of newestFirst) {
    const fault = checkAuthorization(authorization, campaign, at);
    if (fault === undefined) {
      return {
        allowed: true,
        reason: 'marketing_authorized',
        purpose: 'marketing',
        address,
        authorization: { id: authorization.id, version: authorization.version },
        ...(override === undefined ? {} : { confidentialRequestId: override }),
      };
    }
    firstFault ??= fault;
  }
  const fault = firstFault as NonNullable<typeof firstFault>;
  const newest = newestFirst[0] as MarketingAuthorization;
  const { reason, ...details } = fault;
  return {
    allowed: false,
    reason,
    details: {
      ...details,
      authorizationId: newest.id,
      authorizationVersion: newest.version,
      ...(reclassifiedBy === undefined ? {} : { reclassifiedBy }),
    },
  };
}
