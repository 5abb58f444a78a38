import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { actorOf } from '../../auth/principal.js';
import { ROLES } from '../../auth/roles.js';
import { appendAudit } from '../../db/audit.store.js';
import { withTransaction } from '../../db/pool.js';
import { revokeUserSessions } from '../../db/sessions.store.js';
import {
  createUser,
  disableUser,
  findUserById,
  listUsers,
  setUserRoles,
} from '../../db/users.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';

const Roles = z.array(z.enum(ROLES)).min(1);
const NewUserBody = z.object({ email: z.email().max(254), roles: Roles });
const RolesBody = z.object({ roles: Roles });
const UserParams = z.object({ id: z.uuid() });
const UserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  roles: Roles,
  isDisabled: z.boolean().optional(),
});

/** The setup link of a new user, printed by the CLI and answered by `POST /api/users`. */
export function setupLinkOf(publicUrl: string, token: string): string {
  return `${publicUrl}/setup/${token}`;
}

/** Users for administrators: list, invite (a one-time setup link), change roles. */
export function userRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'get',
      path: '/api/users',
      summary: 'List users and their roles',
      tags: ['auth'],
      access: 'api',
      responses: { 200: { description: 'Every user', schema: z.array(UserSchema) } },
      handler: async (_req, res) => {
        const users = await listUsers(deps.pool, deps.keyring);
        res.json(
          users.map(({ id, email, roles, isDisabled }) => ({ id, email, roles, isDisabled })),
        );
      },
    },
    {
      method: 'post',
      path: '/api/users',
      summary: 'Create a user; the answer has their one-time setup link',
      tags: ['auth'],
      access: 'api',
      request: { body: NewUserBody },
      responses: { 201: { description: 'Created, with `setupLink` (shown once)' } },
      handler: async (req, res) => {
        const principal = requirePrincipal(res);
        const body = parseRequest(NewUserBody, req.body, 'body');
        const created = await withTransaction(deps.pool, async (client) => {
          const user = await createUser(client, deps.keyring, body);
          await appendAudit(client, {
            ...actorOf(principal),
            action: 'user.created',
            details: { userId: user.id, roles: body.roles },
          });
          return user;
        });
        res.status(201).json({
          id: created.id,
          roles: body.roles,
          setupLink: setupLinkOf(deps.config.publicUrl, created.setupToken ?? ''),
        });
      },
    },
    {
      method: 'put',
      path: '/api/users/:id/roles',
      summary: "Replace a user's roles (their sessions end, so the change applies at once)",
      tags: ['auth'],
      access: 'api',
      request: { params: UserParams, body: RolesBody },
      responses: { 200: { description: 'The user', schema: UserSchema } },
      handler: async (req, res) => {
        const principal = requirePrincipal(res);
        const { id } = parseRequest(UserParams, req.params, 'path');
        const { roles } = parseRequest(RolesBody, req.body, 'body');
        const before = await findUserById(deps.pool, deps.keyring, id);
        if (before === undefined || !(await setUserRoles(deps.pool, id, roles))) {
          throw new AppError(
            'user_not_found',
            `No user has id "${id}"; list them with GET /api/users.`,
          );
        }
        await revokeUserSessions(deps.pool, id);
        await appendAudit(deps.pool, {
          ...actorOf(principal),
          action: 'user.roles_changed',
          details: { userId: id, from: before.roles, to: roles },
        });
        res.json({ id, email: before.email, roles });
      },
    },
    {
      method: 'delete',
      path: '/api/users/:id',
      summary: 'Disable a user: their sessions end and they cannot sign in again',
      tags: ['auth'],
      access: 'api',
      request: { params: UserParams },
      responses: { 204: { description: 'Disabled' } },
      handler: async (req, res) => {
        const principal = requirePrincipal(res);
        const { id } = parseRequest(UserParams, req.params, 'path');
        if (!(await disableUser(deps.pool, id))) {
          throw new AppError(
            'user_not_found',
            `No user has id "${id}"; list them with GET /api/users.`,
          );
        }
        const ended = await revokeUserSessions(deps.pool, id);
        await appendAudit(deps.pool, {
          ...actorOf(principal),
          action: 'user.disabled',
          details: { userId: id, sessionsEnded: ended },
        });
        res.status(204).end();
      },
    },
  ];
}
