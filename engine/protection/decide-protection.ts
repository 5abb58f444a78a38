import type { ProtectionPolicy, Purpose, Sensitivity } from '../journey/vocabulary.js';
import {
  isVerifiedPosture,
  type OrgProtectionPolicy,
  type PatientPreference,
  type TransportPosture,
  type UnencryptedAcceptance,
} from './protection-inputs.js';

/** How a delivered message is protected (COMPLIANCE.md §1.9's methods). */
export type ProtectionMethod =
  | 'tls_verified'
  | 'portal'
  | 'pgp'
  | 'unencrypted_patient_accepted'
  | 'tls_opportunistic';

/**
 * What the hop to the recipient's server must offer: `verified` TLS with a certificate for the
 * server's name, or `opportunistic` (TLS when offered, else clear). Only content that is
 * end-to-end encrypted, PHI-free, or sent as a patient asked may travel opportunistically.
 */
export type HopRequirement = 'verified' | 'opportunistic';

/** The protection decision for one message, with the §1.9 row that made it. */
export type ProtectionDecision =
  | {
      outcome: 'deliver';
      method: ProtectionMethod;
      hop: HopRequirement;
      /** The audit reason: `method_<method>` or the fallback's own reason. */
      reason: string;
      row: number;
      /** Row 7: the version of the warning the patient accepted. */
      warningVersion?: string;
    }
  | { outcome: 'blocked'; reason: ProtectionBlockReason; row: number }
  | { outcome: 'deferred'; reason: 'capability_unknown_deferred'; row: 11 };

/** Why protection refused a message. */
export type ProtectionBlockReason =
  | 'confidential_comm_channel_excluded'
  | 'tls_required_not_supported';

/** What the protection rules look at, gathered afresh by the send activity each attempt. */
export interface ProtectionFacts {
  /** What the send node asks for. */
  policy: ProtectionPolicy;
  purpose: Purpose;
  sensitivity: Sensitivity;
  transport: TransportPosture;
  /** Whether the transport has been `unknown` longer than the deferral window (4 h). */
  isUnknownPastWindow: boolean;
  /** Whether the patient registered a PGP key that passed every validity check. */
  hasValidKey: boolean;
  patientPreference: PatientPreference;
  /** Required for `unencrypted_accepted` to count (AC-PAT-3). */
  unencryptedAcceptance?: UnencryptedAcceptance | undefined;
  /** A confidential-communication request that excludes email (164.522(b)). */
  isEmailExcluded: boolean;
  org: OrgProtectionPolicy;
}

const TRANSACTIONAL: readonly Purpose[] = ['treatment', 'operations'];

/**
 * Chooses how a message is protected: COMPLIANCE.md §1.9's table, first matching row wins.
 *
 * The floor is the highest of the node's policy, the patient's preference and the content's
 * sensitivity; the method is the lowest-friction one that meets it and is available. Plaintext
 * (row 7) needs a recorded warning, an organisation that allows it, a treatment or operations
 * purpose and at most S2 content; S3 never reaches it. Called on every send attempt.
 */
export function decideProtection(facts: ProtectionFacts): ProtectionDecision {
  const preference = effectivePreference(facts);
  const transport =
    facts.transport === 'unknown' && facts.isUnknownPastWindow ? 'no_tls' : facts.transport;
  const verified = isVerifiedPosture(transport);
  const hop: HopRequirement = verified ? 'verified' : 'opportunistic';
  const deliver = (method: ProtectionMethod, row: number, reason = `method_${method}`) =>
    ({
      outcome: 'deliver',
      method,
      hop: method === 'tls_verified' ? 'verified' : hop,
      reason,
      row,
    }) as const;

  if (preference === 'no_email' || facts.isEmailExcluded) {
    return { outcome: 'blocked', reason: 'confidential_comm_channel_excluded', row: 1 };
  }
  if (preference === 'portal_only' || facts.org.forcePortal || facts.policy === 'portal') {
    return deliver('portal', 2);
  }
  if (facts.sensitivity === 'S3') {
    return facts.hasValidKey ? deliver('pgp', 3) : deliver('portal', 4);
  }
  const wantsKey = preference === 'e2e' || facts.policy === 'pgp_preferred';
  if (wantsKey && facts.hasValidKey) {
    return deliver('pgp', 5);
  }
  if (preference === 'e2e') {
    // End-to-end was asked for and no key is usable: the portal is the only method that meets it.
    return deliver('portal', 5, 'e2e_key_unavailable_fallback_portal');
  }
  if (verified) {
    return deliver('tls_verified', facts.sensitivity === 'S0' ? 10 : 6);
  }
  if (transport === 'unknown') {
    return { outcome: 'deferred', reason: 'capability_unknown_deferred', row: 11 };
  }
  return withoutVerifiedTls(facts, preference, deliver);
}

type Deliver = (
  method: ProtectionMethod,
  row: number,
  reason?: string,
) => Extract<ProtectionDecision, { outcome: 'deliver' }>;

// Rows 7 to 10: the recipient's servers offer no verified TLS (and the posture is known).
function withoutVerifiedTls(
  facts: ProtectionFacts,
  preference: PatientPreference,
  deliver: Deliver,
): ProtectionDecision {
  const isTransactional = TRANSACTIONAL.includes(facts.purpose);
  const isTlsFloor = facts.policy === 'tls_required';
  if (facts.sensitivity === 'S0') {
    if (facts.org.allowOpportunisticForS0 && !isTlsFloor) {
      return deliver('tls_opportunistic', 10);
    }
    return { outcome: 'blocked', reason: 'tls_required_not_supported', row: 10 };
  }
  if (!isTransactional) {
    const toPortal = facts.org.marketingFallback === 'portal' && !isTlsFloor;
    return toPortal
      ? deliver('portal', 9, 'tls_unavailable_fallback_portal')
      : { outcome: 'blocked', reason: 'tls_required_not_supported', row: 9 };
  }
  const acceptance = facts.unencryptedAcceptance;
  if (
    preference === 'unencrypted_accepted' &&
    acceptance !== undefined &&
    facts.org.allowPatientAcceptedUnencrypted &&
    !isTlsFloor
  ) {
    return {
      ...deliver('unencrypted_patient_accepted', 7),
      warningVersion: acceptance.warningTextVersion,
    };
  }
  return deliver('portal', 8, 'tls_unavailable_fallback_portal');
}

// AC-PAT-3: an acceptance of unencrypted email without its record counts as no preference.
function effectivePreference(facts: ProtectionFacts): PatientPreference {
  const acceptance = facts.unencryptedAcceptance;
  const isRecorded =
    acceptance !== undefined &&
    acceptance.warningTextVersion !== '' &&
    acceptance.acceptedAt !== '' &&
    (acceptance.method !== 'verbal' || (acceptance.staffId ?? '') !== '');
  if (facts.patientPreference === 'unencrypted_accepted' && !isRecorded) {
    return 'any';
  }
  return facts.patientPreference;
}
