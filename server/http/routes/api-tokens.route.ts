import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { actorOf } from '../../auth/principal.js';
import { TOKEN_SCOPES } from '../../auth/roles.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../db/api-tokens.store.js';
import { appendAudit } from '../../db/audit.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';

/** The longest an API token may live; a token that never expires is a leak waiting. */
export const MAX_TOKEN_DAYS = 365;

const NewTokenBody = z.object({
  name: z.string().min(1).max(64),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(90),
});
const TokenParams = z.object({ id: z.uuid() });

/** API tokens for scripts and integrations: issue (shown once), list, revoke. */
export function apiTokenRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'get',
      path: '/api/tokens',
      summary: 'List API tokens (never their values)',
      tags: ['auth'],
      access: 'api',
      responses: { 200: { description: 'Every token, newest first' } },
      handler: async (_req, res) => {
        res.json(await listApiTokens(deps.pool));
      },
    },
    {
      method: 'post',
      path: '/api/tokens',
      summary: 'Issue a scoped, expiring API token; its value is in this answer only',
      tags: ['auth'],
      access: 'api',
      request: { body: NewTokenBody },
      responses: { 201: { description: 'The token, with `token` shown once' } },
      handler: async (req, res) => {
        const principal = requirePrincipal(res);
        const body = parseRequest(NewTokenBody, req.body, 'body');
        const expiresAt = new Date(Date.now() + body.expiresInDays * 86_400_000);
        const actor = actorOf(principal);
        const issued = await createApiToken(deps.pool, deps.keyring, {
          name: body.name,
          scopes: body.scopes,
          createdBy: actor.actorId,
          expiresAt,
        });
        await appendAudit(deps.pool, {
          ...actor,
          action: 'api_token.issued',
          details: { tokenId: issued.id, scopes: body.scopes, expiresAt: expiresAt.toISOString() },
        });
        res.status(201).json({
          id: issued.id,
          name: body.name,
          scopes: body.scopes,
          expiresAt: expiresAt.toISOString(),
          token: issued.token,
        });
      },
    },
    {
      method: 'delete',
      path: '/api/tokens/:id',
      summary: 'Revoke an API token at once',
      tags: ['auth'],
      access: 'api',
      request: { params: TokenParams },
      responses: { 204: { description: 'Revoked' } },
      handler: async (req, res) => {
        const principal = requirePrincipal(res);
        const { id } = parseRequest(TokenParams, req.params, 'path');
        if (!(await revokeApiToken(deps.pool, id))) {
          throw new AppError(
            'api_token_not_found',
            `No API token has id "${id}"; list them with GET /api/tokens.`,
          );
        }
        await appendAudit(deps.pool, {
          ...actorOf(principal),
          action: 'api_token.revoked',
          details: { tokenId: id },
        });
        res.status(204).end();
      },
    },
  ];
}
