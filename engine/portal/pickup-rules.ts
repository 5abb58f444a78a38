/** How long a one-time code works (COMPLIANCE.md AC-PRT-2: at most 15 minutes). */
export const PORTAL_CODE_TTL_MS = 10 * 60_000;

/** Wrong codes tolerated; the next wrong one locks the message (AC-PRT-2: the 6th locks). */
export const PORTAL_WRONG_CODES_TOLERATED = 5;

/** The state a pickup attempt finds a portal message in. */
export interface PickupState {
  expiresAt: string;
  lockedAt: string | null;
  otpExpiresAt: string | null;
  hasCode: boolean;
}

/** What a pickup attempt may do. */
export type PickupGate = 'expired' | 'locked' | 'no_code' | 'code_expired' | 'open';

/**
 * Whether a portal message can take a code now: expired messages answer 410 (AC-PRT-3),
 * locked ones 423, and a code is only checked while it is fresh.
 *
 * @param now - the current instant (ISO 8601)
 */
export function pickupGate(state: PickupState, now: string): PickupGate {
  const at = Date.parse(now);
  if (Date.parse(state.expiresAt) <= at) {
    return 'expired';
  }
  if (state.lockedAt !== null) {
    return 'locked';
  }
  if (!state.hasCode || state.otpExpiresAt === null) {
    return 'no_code';
  }
  return Date.parse(state.otpExpiresAt) <= at ? 'code_expired' : 'open';
}
