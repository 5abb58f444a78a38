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
 * @throws AppError `sign_in_failed` (401, the same for an unknown email and a wrong password)
 *   or `sign_in_locked` (429, with `details.retryAfterSeconds`)
 */
export async function signIn(
  deps: Pick<ServerDeps, 'pool' | 'keyring' | 'config' | 'log'>,
  email: string,
  password: string,
): Promise<SignedIn> {
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
  await clearSignInFailures(deps.pool, user.id);
  const session = await createSession(deps.pool, deps.keyring, {
    userId: user.id,
    maxHours: deps.config.access.sessionMaxHours,
  });
  await appendAudit(deps.pool, {
    ...actor,
    action: 'auth.sign_in',
    decision: 'allowed',
    reason: 'sign_in_ok',
    details: { sessionId: session.id },
  });
  return { user, sessionId: session.id, sessionToken: session.token };
}
