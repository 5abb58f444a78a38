import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../engine/errors/app-error.js';
import { isAllowed } from '../auth/is-allowed.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { appendAudit } from '../db/audit.store.js';
import { liveGrantOf } from '../db/break-glass.store.js';
import { type AccessRule, ROUTE_ACCESS, routeKey } from '../auth/route-access.js';
import { isRole, type Role } from '../auth/roles.js';
import { findLiveApiToken } from '../db/api-tokens.store.js';
import { csrfTokenOf, type LiveSession, touchSession } from '../db/sessions.store.js';
import type { ServerDeps } from '../server-deps.js';
import { RateLimiter } from './rate-limit.js';
import type { Route } from './route.js';
import { CSRF_HEADER, sessionTokenOf } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The principal the access guard found for this request (none on public routes). */
export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The principal of a route that requires one; the guard has already refused anonymous calls. */
export function requirePrincipal(res: Response): Principal {
  const principal = principalOf(res);
  if (principal === undefined) {
    throw new AppError('authentication_required', 'Sign in, or send an API token.');
  }
  return principal;
}

/**
 * The one access check in front of every route, from its line in {@link ROUTE_ACCESS}: a route
 * without a line is refused to everyone (fail closed). Credentials are an API token
 * (`Authorization: Bearer pwt_…`) or the session cookie, which on state-changing requests must
 * come with the session's CSRF token in `X-CSRF-Token`.
 */
export function accessGuard(deps: ServerDeps, route: Route) {
  const rule: AccessRule | undefined = ROUTE_ACCESS[routeKey(route.method, route.path)];
  const limiter = new RateLimiter();
  return (req: Request, res: Response, next: NextFunction): void => {
    if (rule?.kind === 'public' && rule.isRateLimited === true) {
      const rate = deps.config.access.publicRateLimit;
      if (!limiter.take(req.socket.remoteAddress ?? 'unknown', rate)) {
        res.setHeader('retry-after', '1');
        next(
          new AppError(
            'rate_limited',
            `More than ${rate} requests a second from this address; wait a second and retry.`,
          ),
        );
        return;
      }
    }
    check(deps, rule, req, res).then(() => next(), next);
  };
}

async function check(
  deps: ServerDeps,
  rule: AccessRule | undefined,
  req: Request,
  res: Response,
): Promise<void> {
  if (rule === undefined) {
    throw new AppError(
      'role_forbidden',
      'This route is not in the access table (server/auth/route-access.ts), so nobody may call it.',
    );
  }
  if (rule.kind === 'public' || rule.kind === 'hook') {
    return;
  }
  if (rule.kind === 'dev_loopback' && deps.config.access.bootstrapToken === undefined) {
    return;
  }
  const principal = await authenticate(deps, req);
  if (principal === undefined) {
    throw new AppError(
      'authentication_required',
      'Sign in (POST /api/auth/sign-in), or send an API token as "Authorization: Bearer pwt_…".',
    );
  }
  res.locals.principal = principal;
  if (rule.kind === 'signed_in') {
    return;
  }
  const effective =
    rule.kind === 'roles' ? rule : ({ kind: 'roles', roles: ['admin'], scopes: [] } as const);
  if (!isAllowed(effective, principal, req.method)) {
    if (await isBrokenGlass(deps, principal, req)) {
      return;
    }
    throw new AppError(
      'role_forbidden',
      `Your ${principal.type === 'user' ? 'roles do' : 'token scopes do'} not allow ${req.method} ${route(req)}; it needs one of: ${effective.roles.join(', ')}. Ask an administrator.`,
    );
  }
}

// Emergency access lets a user's session through what its roles forbid, while its grant
// lasts; each such call is audited with the route (never its parameters, which may be PHI).
async function isBrokenGlass(deps: ServerDeps, principal: Principal, req: Request) {
  if (principal.type !== 'user') {
    return false;
  }
  const grantId = await liveGrantOf(deps.pool, principal.sessionId);
  if (grantId === undefined) {
    return false;
  }
  await appendAudit(deps.pool, {
    ...actorOf(principal),
    action: 'break_glass.access',
    decision: 'allowed',
    details: { grantId, method: req.method, route: route(req) },
  });
  return true;
}

async function authenticate(deps: ServerDeps, req: Request): Promise<Principal | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer !== undefined) {
    const token = await findLiveApiToken(deps.pool, deps.keyring, bearer);
    if (token === undefined) {
      throw new AppError(
        'authentication_required',
        'The API token is not known, was revoked or has expired; ask an administrator for a new one.',
      );
    }
    return { type: 'token', tokenId: token.id, scopes: token.scopes };
  }
  const cookie = sessionTokenOf(req);
  if (cookie === undefined) {
    return undefined;
  }
  const session = await touchSession(
    deps.pool,
    deps.keyring,
    cookie,
    deps.config.access.sessionIdleMinutes,
  );
  if (session === undefined) {
    throw new AppError('session_expired', 'The session has ended or timed out; sign in again.');
  }
  if (!SAFE_METHODS.has(req.method.toUpperCase())) {
    assertCsrf(req, csrfTokenOf(deps.keyring, cookie));
  }
  return {
    type: 'user',
    userId: session.userId,
    roles: rolesIn(session, deps.config.access.passkeyRoles),
    sessionId: session.id,
  };
}

// A role that requires a passkey counts only in a session opened with one; with a password
// (and TOTP) the user acts with their other roles and may enrol a passkey.
function rolesIn(session: LiveSession, passkeyRoles: string[]): Role[] {
  return session.roles
    .filter(isRole)
    .filter((role) => session.method === 'passkey' || !passkeyRoles.includes(role));
}

function assertCsrf(req: Request, expected: string): void {
  const given = Buffer.from(req.get(CSRF_HEADER) ?? '', 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new AppError(
      'csrf_token_invalid',
      "Send the session's CSRF token (from sign-in or GET /api/auth/session) in X-CSRF-Token.",
    );
  }
}

function route(req: Request): string {
  return (req.route as { path?: string } | undefined)?.path ?? req.path;
}
