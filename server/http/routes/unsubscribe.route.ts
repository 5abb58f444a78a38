import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { appendAudit } from '../../db/audit.store.js';
import { withTransaction } from '../../db/pool.js';
import { addSuppression, addressHash } from '../../db/suppressions.store.js';
import { findUnsubscribeToken, markTokenUsed } from '../../db/unsubscribe-tokens.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { escapeHtml, formFields, sendPage } from '../html-page.js';
import type { Route } from '../route.js';

const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) });

/**
 * `GET /u/:token`: the unsubscribe confirmation page. It changes nothing, because mail
 * scanners fetch links in messages (RFC 8058's reason for POST); the button on it posts.
 */
export function unsubscribePageRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/u/:token',
    summary: 'Show the unsubscribe confirmation page (changes nothing)',
    tags: ['patients'],
    // Public by design: the opaque token is the only credential (CAN-SPAM: no login).
    access: 'public',
    request: { params: TokenParams },
    responses: {
      200: { description: 'The confirmation page' },
      404: { description: 'Unknown link' },
    },
    handler: async (req, res) => {
      const found = await findToken(deps, req);
      if (found === undefined) {
        sendPage(
          res,
          404,
          'Unsubscribe',
          '<h1>This link is not known</h1><p>It may be mistyped.</p>',
        );
        return;
      }
      const action = `/u/${escapeHtml(String(req.params.token))}`;
      sendPage(
        res,
        200,
        'Unsubscribe',
        `<h1>Unsubscribe from marketing email</h1><p>You will get no more marketing or promotional email from ${escapeHtml(deps.config.orgName)} at this address. Messages about your care (appointment reminders, results) are not affected.</p><form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe from all marketing email</button></form>`,
      );
    },
  };
}

/**
 * `POST /u/:token`: RFC 8058 one-click unsubscribe. Takes effect at once, without cookies or
 * a login, for all commercial email to the token's address (COMPLIANCE.md AC-OC-2, AC-CS-2).
 */
export function unsubscribeRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/u/:token',
    summary: 'Unsubscribe the address a token belongs to from all marketing email (RFC 8058)',
    tags: ['patients'],
    access: 'public',
    isRawBody: true,
    request: {
      params: TokenParams,
      contentTypes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
    },
    responses: {
      200: { description: 'Unsubscribed (also when already unsubscribed)' },
      404: { description: 'Unknown link' },
    },
    handler: async (req, res) => {
      const found = await findToken(deps, req);
      if (found === undefined) {
        throw new AppError(
          'unsubscribe_token_unknown',
          'This unsubscribe link is not known; check that it was copied whole.',
        );
      }
      const isOneClick = formFields(req.body).get('List-Unsubscribe') === 'One-Click';
      const token = String(req.params.token);
      await withTransaction(deps.pool, async (client) => {
        const isNew = await addSuppression(client, deps.keyring, {
          address: found.address,
          scope: 'commercial',
          cause: 'unsubscribe',
          source: isOneClick ? 'one_click' : 'unsubscribe_page',
          patientId: found.patientId ?? undefined,
          messageId: found.messageId,
        });
        await markTokenUsed(client, deps.keyring, token);
        await appendAudit(client, {
          actorId: `recipient:${addressHash(deps.keyring, found.address).slice(0, 16)}`,
          actorType: 'patient',
          action: 'suppression.unsubscribe',
          decision: 'allowed',
          reason: 'unsubscribed',
          ...(found.patientId === null ? {} : { patientId: found.patientId }),
          messageId: found.messageId,
          details: { scope: 'commercial', isOneClick, isNew },
        });
      });
      if (isOneClick && !(req.headers.accept ?? '').includes('text/html')) {
        res.status(200).json({ unsubscribed: true, scope: 'commercial' });
        return;
      }
      sendPage(
        res,
        200,
        'Unsubscribed',
        '<h1>You are unsubscribed</h1><p>You will get no more marketing email at this address.</p>',
      );
    },
  };
}

async function findToken(deps: ServerDeps, req: Request) {
  const parsed = TokenParams.safeParse(req.params);
  if (!parsed.success) {
    return undefined;
  }
  return findUnsubscribeToken(deps.pool, deps.keyring, parsed.data.token);
}
