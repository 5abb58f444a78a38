import { DateTime } from 'luxon';
import type { Purpose } from '../journey/vocabulary.js';

/** What a send node says about the kind of message, for 45 CFR 164.501's marketing test. */
export interface SendClassification {
  purpose: Purpose;
  /** A refill reminder: which drug, and what the organisation is paid for the message. */
  refill?: { drugRef: string; remuneration: 'none' | 'cost_related' | 'other' } | undefined;
  /** Whether a third party pays the organisation for making the communication. */
  thirdPartyRemuneration?: boolean | undefined;
}

/** The purpose the consent rules apply, and why it differs from the declared one. */
export interface ClassifiedPurpose {
  purpose: Purpose;
  /** Set when a treatment or operations message counts as marketing. */
  reclassifiedBy?:
    | 'refill_exception_lapsed_gt_90d'
    | 'refill_prescription_unknown'
    | 'refill_remuneration_other'
    | 'third_party_remuneration';
}

/** Prescriptions lapsed at most this many calendar days still count as current (HHS FAQ). */
export const REFILL_LAPSE_DAYS = 90;

/**
 * Classifies a message as marketing or not (COMPLIANCE.md §2.1). A refill reminder is
 * treatment only for a drug currently prescribed (lapsed at most 90 calendar days) with no
 * payment beyond the message's cost; a third party paying for any message makes it marketing.
 *
 * @param prescriptionLastActiveOn - the prescription's last active date (YYYY-MM-DD or an
 *   instant) from the event, when the send is a refill reminder
 */
export function classifyPurpose(
  send: SendClassification,
  prescriptionLastActiveOn: string | undefined,
  at: { now: string; zone: string },
): ClassifiedPurpose {
  if (send.purpose === 'marketing') {
    return { purpose: 'marketing' };
  }
  if (send.thirdPartyRemuneration === true) {
    return { purpose: 'marketing', reclassifiedBy: 'third_party_remuneration' };
  }
  if (send.refill === undefined) {
    return { purpose: send.purpose };
  }
  if (send.refill.remuneration === 'other') {
    return { purpose: 'marketing', reclassifiedBy: 'refill_remuneration_other' };
  }
  const lastActive =
    prescriptionLastActiveOn === undefined
      ? undefined
      : DateTime.fromISO(prescriptionLastActiveOn, { zone: at.zone }).startOf('day');
  if (lastActive === undefined || !lastActive.isValid) {
    return { purpose: 'marketing', reclassifiedBy: 'refill_prescription_unknown' };
  }
  const today = DateTime.fromISO(at.now, { zone: at.zone }).startOf('day');
  const lapsedDays = Math.round(today.diff(lastActive, 'days').days);
  return lapsedDays > REFILL_LAPSE_DAYS
    ? { purpose: 'marketing', reclassifiedBy: 'refill_exception_lapsed_gt_90d' }
    : { purpose: send.purpose };
}
