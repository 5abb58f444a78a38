import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import { appendAudit } from '../../db/audit.store.js';
import { endGrants, listGrants, openGrant } from '../../db/break-glass.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';

/** The longest break-glass grant; a longer need is a role change, not an emergency. */
export const BREAK_GLASS_MAX_MINUTES = 60;

const StartBody = z.object({
  reason: z.string().trim().min(20, 'Write at least 20 characters: who needs what, and why now'),
  minutes: z.number().int().min(1).max(BREAK_GLASS_MAX_MINUTES).default(30),
});

/**
 * Emergency access: a signed-in user states a reason and acts with every role for a short
 * time. Starting it is an alert (an `error` log line: a human must look) and an audit row;
 * every call it lets through is audited too (see the access guard).
 */
export function breakGlassRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/auth/break-glass',
      summary: 'Start emergency access for this session, with a written reason',
      tags: ['auth'],
      access: 'api',
      request: { body: StartBody },
      responses: { 201: { description: '`{ grantId, endsAt }`' } },
      handler: async (req, res) => {
        const principal = userPrincipal(res);
        const { reason, minutes } = parseRequest(StartBody, req.body, 'body');
        const grant = await openGrant(deps.pool, deps.keyring, {
          userId: principal.userId,
          sessionId: principal.sessionId,
          reason,
          minutes,
        });
        await appendAudit(deps.pool, {
          ...actorOf(principal),
          action: 'break_glass.started',
          details: { grantId: grant.id, minutes },
        });
        // The alert. The reason stays out of the log: it may name a patient.
        deps.log.error(
          { userId: principal.userId, grantId: grant.id, minutes },
          'Break-glass access started',
        );
        res.status(201).json({ grantId: grant.id, endsAt: grant.endsAt.toISOString() });
      },
    },
    {
      method: 'post',
      path: '/api/auth/break-glass/end',
      summary: 'End emergency access for this session now',
      tags: ['auth'],
      access: 'api',
      responses: { 200: { description: '`{ ended }`' } },
      handler: async (_req, res) => {
        const principal = userPrincipal(res);
        const ended = await endGrants(deps.pool, principal.sessionId);
        await appendAudit(deps.pool, {
          ...actorOf(principal),
          action: 'break_glass.ended',
          details: { ended },
        });
        res.json({ ended });
      },
    },
    {
      method: 'get',
      path: '/api/break-glass',
      summary: 'Every emergency access grant with its reason (auditors)',
      tags: ['audit'],
      access: 'api',
      responses: { 200: { description: 'Grants, newest first' } },
      handler: async (_req, res) => {
        res.json(await listGrants(deps.pool, deps.keyring));
      },
    },
  ];
}

function userPrincipal(res: Response): Extract<Principal, { type: 'user' }> {
  const principal = requirePrincipal(res);
  if (principal.type !== 'user') {
    throw new AppError('request_invalid', 'Emergency access is for signed-in people, not tokens.');
  }
  return principal;
}
