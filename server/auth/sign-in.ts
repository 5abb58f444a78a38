import { AppError } from '../../engine/errors/app-error.js';
import { appendAudit } from '../db/audit.store.js';
import { createSession } from '../db/sessions.store.js';
import {
  clearSignInFailures,
  findUserByEmail,
  recordSignInFailure,
  type User,
} from '../db/users.store.js';
import type { ServerDeps } from '../server-deps.js';
import { verifyPassword } from './passwords.js';
import { checkSecondFactor, type SecondFactorOutcome } from './second-factor.js';

/** A successful sign-in: the new session's cookie value and who signed in. */
export interface SignedIn {
  user: User;
  sessionId: string;
  sessionToken: string;
}

/**
 * Checks an email and password and opens a session. Every attempt is audited: success,
 * a wrong password (counted towards the lockout), an unknown email, a locked account.
 *
 * A user with TOTP must also send `code`: a current TOTP code or a recovery code.
 *
 * @throws AppError `sign_in_failed` (401, the same for an unknown email and a wrong password),
 *   `sign_in_locked` (429, with `details.retryAfterSeconds`), `mfa_required` (401, no code) or
 *   `mfa_code_invalid` (401, counted towards the lockout)
 */
export async function signIn(
  deps: Pick<ServerDeps, 'pool' | 'keyring' | 'config' | 'log'>,
  credentials: { email: string; password: string; code?: string | undefined },
): Promise<SignedIn> {
  const { email, password } = credentials;
  const user = await findUserByEmail(deps.pool, deps.keyring, email);
  const actor = {
    actorId:
      user === undefined
        ? `unidentified:${deps.keyring.lookupHash(`user-email:${email}`).slice(0, 16)}`
        : `user:${user.id}`,
    actorType: 'user' as const,
  };
  const locked = user?.lockedUntil;
  if (locked !== undefined && locked.getTime() > Date.now()) {
    await appendAudit(deps.pool, {
      ...actor,
      action: 'auth.sign_in',
      decision: 'blocked',
      reason: 'sign_in_locked',
    });
    const retryAfterSeconds = Math.ceil((locked.getTime() - Date.now()) / 1000);
    throw new AppError(
      'sign_in_locked',
      `Too many failed sign-ins; try again in ${retryAfterSeconds} s, or ask an administrator.`,
      { details: { retryAfterSeconds } },
    );
  }
  const isMatch = await verifyPassword(user?.passwordHash, password);
  if (user === undefined || !isMatch || user.isDisabled) {
    const lockedUntil =
      user === undefined ? undefined : await recordSignInFailure(deps.pool, user.id);
    await appendAudit(deps.pool, {
      ...actor,
      action: 'auth.sign_in',
      decision: 'blocked',
      reason: 'sign_in_failed',
      details: { isLocked: lockedUntil !== undefined },
    });
    deps.log.info({ actorId: actor.actorId }, 'Sign-in refused');
    throw new AppError('sign_in_failed', 'The email or password is not right; check both.');
  }
  const factor = await secondFactor(deps, user, credentials.code);
  await clearSignInFailures(deps.pool, user.id);
  const session = await createSession(deps.pool, deps.keyring, {
    userId: user.id,
    maxHours: deps.config.access.sessionMaxHours,
    method: factor === 'none' ? 'password' : 'password_totp',
  });
  await appendAudit(deps.pool, {
    ...actor,
    action: 'auth.sign_in',
    decision: 'allowed',
    reason: 'sign_in_ok',
    details: { sessionId: session.id, secondFactor: factor },
  });
  return { user, sessionId: session.id, sessionToken: session.token };
}

// The second factor after a right password: none configured, a TOTP code, or a recovery code.
async function secondFactor(
  deps: Pick<ServerDeps, 'pool' | 'keyring'>,
  user: User,
  code: string | undefined,
): Promise<SecondFactorOutcome | 'none'> {
  if (!user.hasTotp) {
    return 'none';
  }
  const actor = { actorId: `user:${user.id}`, actorType: 'user' as const };
  if (code === undefined || code.trim() === '') {
    await appendAudit(deps.pool, {
      ...actor,
      action: 'auth.sign_in',
      decision: 'blocked',
      reason: 'mfa_required',
    });
    throw new AppError(
      'mfa_required',
      'This account has a second factor: send the code from your authenticator app (or a recovery code) as "code".',
    );
  }
  const outcome = await checkSecondFactor(deps.pool, deps.keyring, user.id, code);
  if (outcome === 'mfa_code_invalid') {
    await recordSignInFailure(deps.pool, user.id);
    await appendAudit(deps.pool, {
      ...actor,
      action: 'auth.sign_in',
      decision: 'blocked',
      reason: 'mfa_code_invalid',
    });
    throw new AppError(
      'mfa_code_invalid',
      'The code is not right or was used already; wait for the next code from your app.',
    );
  }
  return outcome;
}
