import type { Purpose } from '../journey/vocabulary.js';

/**
 * Where a suppression applies (COMPLIANCE.md §5.3): `global` (a hard bounce or legal hold:
 * no email at all), `commercial` (an unsubscribe or complaint: no marketing), `treatment` (the
 * patient's channel opt-out for treatment and operations messages).
 */
export const SUPPRESSION_SCOPES = ['global', 'commercial', 'treatment'] as const;
/** Where a suppression applies. */
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];

/** Why an address was suppressed. */
export const SUPPRESSION_CAUSES = [
  'hard_bounce',
  'soft_bounce',
  'unsubscribe',
  'complaint',
  'opt_out',
  'legal_hold',
  'import',
] as const;
/** Why an address was suppressed. */
export type SuppressionCause = (typeof SUPPRESSION_CAUSES)[number];

/** A suppression in force for an address. */
export interface ActiveSuppression {
  scope: SuppressionScope;
  cause: SuppressionCause;
}

/** Whether a suppression of `scope` stops a message sent for `purpose` (AC-SUP-1). */
export function suppressionBlocks(scope: SuppressionScope, purpose: Purpose): boolean {
  switch (scope) {
    case 'global':
      return true;
    case 'commercial':
      return purpose === 'marketing';
    case 'treatment':
      return purpose === 'treatment' || purpose === 'operations';
  }
}
