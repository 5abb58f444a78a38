/**
 * What Pathwell knows about the recipient domain's mail servers at send time (COMPLIANCE.md
 * §1.9): verified by MTA-STS in enforce mode, by PKIX alone, TLS without a verifiable
 * certificate, no STARTTLS at all, or unknown (DNS or probe failure). `dane_ok` is part of the
 * vocabulary but never produced: DANE needs a DNSSEC-validating resolver (not built).
 */
export const TRANSPORT_POSTURES = [
  'dane_ok',
  'sts_enforce_ok',
  'pkix_tls_ok',
  'tls_unverified',
  'no_tls',
  'unknown',
] as const;
/** The recipient domain's transport posture. */
export type TransportPosture = (typeof TRANSPORT_POSTURES)[number];

/** Postures under which a message can go only over TLS with a verified certificate. */
export const VERIFIED_POSTURES: readonly TransportPosture[] = [
  'dane_ok',
  'sts_enforce_ok',
  'pkix_tls_ok',
];

/** Whether a posture means verified TLS to the recipient's server. */
export function isVerifiedPosture(posture: TransportPosture): boolean {
  return VERIFIED_POSTURES.includes(posture);
}

/**
 * What the patient asked for about email (COMPLIANCE.md §1.9 `patientPref`): `e2e` end-to-end
 * encryption, `portal_only` the secure portal, `unencrypted_accepted` plain email after a
 * recorded warning (HIPAA right of access), `no_email` none at all.
 */
export const PATIENT_PREFERENCES = [
  'any',
  'e2e',
  'portal_only',
  'unencrypted_accepted',
  'no_email',
] as const;
/** What the patient asked for about email. */
export type PatientPreference = (typeof PATIENT_PREFERENCES)[number];

/**
 * The record that makes `unencrypted_accepted` count (COMPLIANCE.md AC-PAT-3): which warning
 * text the patient saw, when and how they accepted. Without it the preference counts as `any`.
 */
export interface UnencryptedAcceptance {
  warningTextVersion: string;
  acceptedAt: string;
  method: 'web' | 'signed' | 'verbal';
  /** The staff member who took a verbal acceptance. */
  staffId?: string | undefined;
}

/** The organisation's protection policy (configuration). */
export interface OrgProtectionPolicy {
  /** Whether row 7 (unencrypted email a patient accepted after a warning) is allowed at all. */
  allowPatientAcceptedUnencrypted: boolean;
  /** Whether S0 messages may go with opportunistic TLS when no verified TLS is available. */
  allowOpportunisticForS0: boolean;
  /** What a marketing message does without verified TLS: be dropped, or go to the portal. */
  marketingFallback: 'drop' | 'portal';
  /** Send every message through the secure portal. */
  forcePortal: boolean;
}

/** The organisation policy Pathwell runs with unless configured otherwise. */
export const DEFAULT_ORG_PROTECTION_POLICY: OrgProtectionPolicy = {
  allowPatientAcceptedUnencrypted: false,
  allowOpportunisticForS0: false,
  marketingFallback: 'drop',
  forcePortal: false,
};
