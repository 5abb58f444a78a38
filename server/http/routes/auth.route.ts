import type { Request } from 'express';
import { z } from 'zod';
import { AppError, isAppError } from '../../../engine/errors/app-error.js';
import { actorOf } from '../../auth/principal.js';
import { isRole, ROLES } from '../../auth/roles.js';
import { signIn } from '../../auth/sign-in.js';
import { appendAudit } from '../../db/audit.store.js';
import { csrfTokenOf, revokeSession, revokeUserSessions } from '../../db/sessions.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import { RateLimiter } from '../rate-limit.js';
import type { Route } from '../route.js';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../session-cookie.js';

const SignInBody = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(1_024),
  code: z.string().max(32).optional().describe('TOTP or recovery code, when the account has one'),
});
const SessionSchema = z.object({
  userId: z.uuid().optional(),
  tokenId: z.uuid().optional(),
  roles: z.array(z.enum(ROLES)),
  csrfToken: z.string().optional().describe('Send it in X-CSRF-Token on state-changing requests'),
});
const problem = { contentType: 'application/problem+json', schema: ProblemSchema };

/** Sign-in, the current session, sign-out and sign-out everywhere. */
export function authRoutes(deps: ServerDeps): Route[] {
  return [signInRoute(deps), sessionRoute(deps), signOutRoute(deps), signOutEverywhereRoute(deps)];
}

function signInRoute(deps: ServerDeps): Route {
  // Per address, before the per-account lockout even counts: slows spraying across accounts.
  const limiter = new RateLimiter();
  return {
    method: 'post',
    path: '/api/auth/sign-in',
    summary: 'Sign in with email and password; sets the session cookie',
    tags: ['auth'],
    access: 'public',
    request: { body: SignInBody },
    responses: {
      200: { description: 'Signed in; the body has the CSRF token', schema: SessionSchema },
      401: { description: 'Wrong email or password', ...problem },
      429: { description: 'Locked after repeated failures, or too many attempts', ...problem },
    },
    handler: async (req, res) => {
      if (
        !limiter.take(req.socket.remoteAddress ?? 'unknown', deps.config.access.signInRateLimit)
      ) {
        res.setHeader('retry-after', '1');
        throw new AppError('rate_limited', 'Too many sign-in attempts; wait a second and retry.');
      }
      const credentials = parseRequest(SignInBody, req.body, 'body');
      try {
        const signedIn = await signIn(deps, credentials);
        setSessionCookie(res, signedIn.sessionToken, deps.config.access.sessionMaxHours);
        res.json({
          userId: signedIn.user.id,
          roles: signedIn.user.roles,
          csrfToken: csrfTokenOf(deps.keyring, signedIn.sessionToken),
        });
      } catch (error) {
        if (isAppError(error) && error.code === 'sign_in_locked') {
          res.setHeader('retry-after', String(Number(error.details?.retryAfterSeconds ?? 60)));
        }
        throw error;
      }
    },
  };
}

function sessionRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/auth/session',
    summary: 'Who is signed in, with which roles, and the session CSRF token',
    tags: ['auth'],
    access: 'api',
    responses: { 200: { description: 'The caller', schema: SessionSchema } },
    handler: async (req, res) => {
      const principal = requirePrincipal(res);
      if (principal.type === 'token') {
        res.json({ tokenId: principal.tokenId, roles: principal.scopes.filter(isRole) });
        return;
      }
      res.json({
        userId: principal.userId,
        roles: principal.roles,
        csrfToken: csrfTokenOf(deps.keyring, sessionTokenOf(req) ?? ''),
      });
    },
  };
}

function signOutRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/auth/sign-out',
    summary: 'End this session',
    tags: ['auth'],
    access: 'api',
    responses: { 204: { description: 'Signed out' } },
    handler: async (_req, res) => {
      const principal = requirePrincipal(res);
      if (principal.type === 'user') {
        await revokeSession(deps.pool, principal.sessionId);
        await appendAudit(deps.pool, { ...actorOf(principal), action: 'auth.sign_out' });
      }
      clearSessionCookie(res);
      res.status(204).end();
    },
  };
}

function signOutEverywhereRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/auth/sign-out-everywhere',
    summary: 'End every session of the signed-in user, on every device',
    tags: ['auth'],
    access: 'api',
    responses: {
      200: { description: 'How many sessions ended', schema: z.object({ ended: z.number() }) },
    },
    handler: async (req: Request, res) => {
      const principal = requirePrincipal(res);
      if (principal.type !== 'user') {
        throw new AppError(
          'request_invalid',
          `${req.path} ends a user's sessions; an API token has none (revoke it instead).`,
        );
      }
      const ended = await revokeUserSessions(deps.pool, principal.userId);
      await appendAudit(deps.pool, {
        ...actorOf(principal),
        action: 'auth.sign_out_everywhere',
        details: { ended },
      });
      clearSessionCookie(res);
      res.json({ ended });
    },
  };
}
