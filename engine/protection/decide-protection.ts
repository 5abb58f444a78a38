import type { ProtectionPolicy, Sensitivity } from '../journey/vocabulary.js';

/** What protection a message gets, decided at send time. */
export type ProtectionDecision =
  /** Deliver only over TLS with a certificate the transport verifies; never in clear. */
  { method: 'tls_verified' } | { method: 'blocked'; reason: 'portal_unavailable' };

/** What the protection rules look at. */
export interface ProtectionFacts {
  policy: ProtectionPolicy;
  sensitivity: Sensitivity;
}

/**
 * Chooses how a message is protected.
 *
 * TODO: this is the walking skeleton's rule, not COMPLIANCE.md §1.9's decision table: every
 * message goes over verified TLS or not at all (the transport enforces it), and a send whose
 * policy demands the secure portal is blocked because the portal is not built yet. The full
 * table (recipient-domain posture, PGP keys, patient preferences, portal fallback) replaces
 * it with the compliance core.
 */
export function decideProtection(facts: ProtectionFacts): ProtectionDecision {
  if (facts.policy === 'portal') {
    return { method: 'blocked', reason: 'portal_unavailable' };
  }
  return { method: 'tls_verified' };
}
