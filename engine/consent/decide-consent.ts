import type { Purpose } from '../journey/vocabulary.js';

/** What the consent rules look at, fetched by the send activity at the moment of sending. */
export interface ConsentFacts {
  purpose: Purpose;
  hasEmailAddress: boolean;
  isDeceased: boolean;
  /** An email opt-out that covers this purpose, if the patient recorded one. */
  emailOptOut?: { purpose: string; recordedAt: string } | undefined;
}

/** The consent decision for one send, with the reason audited either way. */
export type ConsentDecision =
  | { allowed: true; reason: 'treatment_contact_ok' | 'operations_contact_ok' }
  | {
      allowed: false;
      reason: 'patient_deceased' | 'no_email_address' | 'channel_opt_out' | 'authorization_missing';
    };

/**
 * Decides whether a message may be sent to the patient for its purpose.
 *
 * Checked inside the send activity every time it runs, never at enrolment, so an opt-out that
 * lands while a run sleeps stops the next send.
 *
 * TODO: marketing authorizations, suppression lists, confidential-communication requests and
 * address verification (COMPLIANCE.md §2) are not built yet. Until they are, every marketing
 * send is blocked with `authorization_missing`: no authorization can be recorded, so none can
 * be valid.
 */
export function decideConsent(facts: ConsentFacts): ConsentDecision {
  if (facts.isDeceased) {
    return { allowed: false, reason: 'patient_deceased' };
  }
  if (!facts.hasEmailAddress) {
    return { allowed: false, reason: 'no_email_address' };
  }
  if (facts.emailOptOut !== undefined) {
    return { allowed: false, reason: 'channel_opt_out' };
  }
  if (facts.purpose === 'marketing') {
    return { allowed: false, reason: 'authorization_missing' };
  }
  return { allowed: true, reason: `${facts.purpose}_contact_ok` };
}
