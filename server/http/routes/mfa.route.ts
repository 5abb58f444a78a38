import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import { checkSecondFactor } from '../../auth/second-factor.js';
import { newRecoveryCodes, newTotpSecret, totpStepOf } from '../../auth/totp.js';
import { appendAudit } from '../../db/audit.store.js';
import {
  activateTotp,
  claimTotpStep,
  loadTotpSecret,
  removeTotp,
  setPendingTotp,
} from '../../db/mfa.store.js';
import { findUserById } from '../../db/users.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';

const CodeBody = z.object({ code: z.string().min(6).max(32) });

/**
 * TOTP for the signed-in user: start (a secret for the app, shown once), confirm with a first
 * code (recovery codes, shown once), and turn off with a code. Every change is audited.
 */
export function mfaRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/auth/mfa/totp',
      summary: 'Start TOTP enrolment: a secret and otpauth URI for an authenticator app',
      tags: ['auth'],
      access: 'api',
      responses: { 200: { description: '`{ secret, otpauthUri }`, shown once' } },
      handler: async (_req, res) => {
        const user = await signedInUser(deps, res);
        const { secret, uri } = newTotpSecret(user.email);
        await setPendingTotp(deps.pool, deps.keyring, user.id, secret);
        res.json({ secret, otpauthUri: uri });
      },
    },
    {
      method: 'post',
      path: '/api/auth/mfa/totp/confirm',
      summary: 'Turn TOTP on with a first code from the app; answers the recovery codes once',
      tags: ['auth'],
      access: 'api',
      request: { body: CodeBody },
      responses: { 200: { description: '`{ recoveryCodes }`' } },
      handler: async (req, res) => {
        const user = await signedInUser(deps, res);
        const { code } = parseRequest(CodeBody, req.body, 'body');
        const pending = await loadTotpSecret(deps.pool, deps.keyring, user.id, 'pending');
        const step = pending === undefined ? undefined : await totpStepOf(pending, code);
        if (step === undefined) {
          throw new AppError(
            'mfa_code_invalid',
            'The code does not match the secret being enrolled; start again with POST /api/auth/mfa/totp if the app has another.',
          );
        }
        const recoveryCodes = newRecoveryCodes();
        await activateTotp(deps.pool, deps.keyring, user.id, recoveryCodes);
        await claimTotpStep(deps.pool, user.id, step);
        await appendAudit(deps.pool, { ...user.actor, action: 'mfa.totp_enabled' });
        res.json({ recoveryCodes });
      },
    },
    {
      method: 'post',
      path: '/api/auth/mfa/totp/disable',
      summary: 'Turn TOTP off (with a current code or a recovery code)',
      tags: ['auth'],
      access: 'api',
      request: { body: CodeBody },
      responses: { 204: { description: 'Turned off' } },
      handler: async (req, res) => {
        const user = await signedInUser(deps, res);
        const { code } = parseRequest(CodeBody, req.body, 'body');
        const outcome = await checkSecondFactor(deps.pool, deps.keyring, user.id, code);
        if (outcome === 'mfa_code_invalid') {
          throw new AppError('mfa_code_invalid', 'The code is not right; use a current one.');
        }
        await removeTotp(deps.pool, user.id);
        await appendAudit(deps.pool, {
          ...user.actor,
          action: 'mfa.totp_disabled',
          details: { with: outcome },
        });
        res.status(204).end();
      },
    },
  ];
}

async function signedInUser(
  deps: ServerDeps,
  res: Response,
): Promise<{ id: string; email: string; actor: ReturnType<typeof actorOf> }> {
  const principal: Principal = requirePrincipal(res);
  if (principal.type !== 'user') {
    throw new AppError('request_invalid', 'A second factor belongs to a user; sign in first.');
  }
  const user = await findUserById(deps.pool, deps.keyring, principal.userId);
  if (user === undefined) {
    throw new AppError('user_not_found', 'The signed-in user no longer exists; sign in again.');
  }
  return { id: user.id, email: user.email, actor: actorOf(principal) };
}
