import { z } from 'zod';
import { hashPassword } from '../../auth/passwords.js';
import { appendAudit } from '../../db/audit.store.js';
import { completeSetup, isSetupTokenValid } from '../../db/users.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { escapeHtml, formFields, sendPage } from '../html-page.js';
import type { Route } from '../route.js';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { isAppError } from '../../../engine/errors/app-error.js';

const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{32}$/) });
const UNKNOWN =
  '<h1>This setup link is not known</h1><p>It may have been used already or expired; ask an administrator for a new one (<code>pathwell users create</code>).</p>';

/**
 * The one-time setup link of a new user (`pathwell users create` prints it): a page with a
 * password form, and its post. The token in the path is the credential, used once.
 */
export function setupRoutes(deps: ServerDeps): Route[] {
  const valid = (token: unknown) =>
    TokenParams.safeParse({ token }).success &&
    isSetupTokenValid(deps.pool, deps.keyring, String(token));
  return [
    {
      method: 'get',
      path: '/setup/:token',
      summary: 'Show the password form of a one-time setup link',
      tags: ['auth'],
      access: 'public',
      request: { params: TokenParams },
      responses: { 200: { description: 'The form' }, 404: { description: 'Unknown link' } },
      handler: async (req, res) => {
        if (!(await valid(req.params.token))) {
          sendPage(res, 404, 'Set your password', UNKNOWN);
          return;
        }
        sendPage(res, 200, 'Set your password', form(String(req.params.token), ''));
      },
    },
    {
      method: 'post',
      path: '/setup/:token',
      summary: 'Set the password of a one-time setup link (form post)',
      tags: ['auth'],
      access: 'public',
      isRawBody: true,
      request: { params: TokenParams, contentTypes: ['application/x-www-form-urlencoded'] },
      responses: {
        200: { description: 'Password set' },
        404: { description: 'Unknown link' },
        422: { description: 'Password too short' },
      },
      handler: async (req, res) => {
        const token = String(req.params.token);
        if (!(await valid(token))) {
          sendPage(res, 404, 'Set your password', UNKNOWN);
          return;
        }
        let passwordHash: string;
        try {
          passwordHash = await hashPassword(formFields(req.body).get('password') ?? '');
        } catch (error) {
          if (isAppError(error) && error.code === 'password_weak') {
            sendPage(res, 422, 'Set your password', form(token, error.message));
            return;
          }
          throw error;
        }
        const userId = await completeSetup(deps.pool, deps.keyring, token, passwordHash);
        if (userId === undefined) {
          sendPage(res, 404, 'Set your password', UNKNOWN);
          return;
        }
        await appendAudit(deps.pool, {
          actorId: `user:${userId}`,
          actorType: 'user',
          action: 'auth.password_set',
          reason: 'setup_link_used',
        });
        sendPage(
          res,
          200,
          'Password set',
          '<h1>Your password is set</h1><p>You can sign in now.</p>',
        );
      },
    },
  ];
}

function form(token: string, problem: string): string {
  const notice = problem === '' ? '' : `<p role="alert">${escapeHtml(problem)}</p>`;
  return `<h1>Set your password</h1>${notice}<form method="post" action="/setup/${escapeHtml(token)}"><label>Password (at least ${MIN_PASSWORD_LENGTH} characters)<br><input type="password" name="password" minlength="${MIN_PASSWORD_LENGTH}" autocomplete="new-password" required></label><p><button type="submit">Set password</button></p></form>`;
}
