import type { Keyring } from '../crypto/keyring.js';
import { claimTotpStep, loadTotpSecret, useRecoveryCode } from '../db/mfa.store.js';
import type { Queryable } from '../db/pool.js';
import { isRecoveryCodeShape, totpStepOf } from './totp.js';

/** How a second factor was passed, or why not. */
export type SecondFactorOutcome = 'totp_ok' | 'recovery_code_used' | 'mfa_code_invalid';

/**
 * Checks a second-factor code: a current TOTP code not used before (its time step is
 * claimed), or an unused recovery code (used up by this).
 */
export async function checkSecondFactor(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  code: string,
): Promise<SecondFactorOutcome> {
  if (isRecoveryCodeShape(code)) {
    return (await useRecoveryCode(db, keyring, userId, code))
      ? 'recovery_code_used'
      : 'mfa_code_invalid';
  }
  const secret = await loadTotpSecret(db, keyring, userId, 'active');
  const step = secret === undefined ? undefined : await totpStepOf(secret, code.trim());
  if (step === undefined || !(await claimTotpStep(db, userId, step))) {
    return 'mfa_code_invalid';
  }
  return 'totp_ok';
}
