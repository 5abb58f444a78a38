import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { appendAudit } from '../../db/audit.store.js';
import { recordContactPoint } from '../../db/consent.store.js';
import { withTransaction } from '../../db/pool.js';
import { addressHash } from '../../db/suppressions.store.js';
import { findVerification, markVerified } from '../../db/verifications.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { escapeHtml, sendPage } from '../html-page.js';
import type { Route } from '../route.js';

const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) });
const TITLE = 'Confirm your email address';

/**
 * The links of verification emails (COMPLIANCE.md AC-PAT-1). `GET /v/:token` shows a page with
 * a button and changes nothing (mail scanners open links); `POST /v/:token` records the
 * address as verified, so sends that were blocked `address_unverified` go to it from then on.
 */
export function verifyAddressRoutes(deps: ServerDeps): Route[] {
  const common = {
    tags: ['patients'],
    // Public by design: the opaque token is the credential.
    access: 'public' as const,
    request: { params: TokenParams },
    responses: {
      200: { description: 'A confirmation page' },
      404: { description: 'Unknown or expired link' },
    },
  };
  return [
    {
      ...common,
      method: 'get',
      path: '/v/:token',
      summary: 'Show the address confirmation page (changes nothing)',
      handler: async (req, res) => {
        if ((await find(deps, req)) === undefined) {
          sendPage(res, 404, TITLE, '<h1>This link is not known</h1><p>It may have expired.</p>');
          return;
        }
        const action = `/v/${escapeHtml(String(req.params.token))}`;
        sendPage(
          res,
          200,
          TITLE,
          `<h1>Confirm your email address</h1><p>Press the button to confirm that ${escapeHtml(deps.config.orgName)} may send messages to this address.</p><form method="post" action="${action}"><button type="submit">Confirm</button></form>`,
        );
      },
    },
    {
      ...common,
      method: 'post',
      path: '/v/:token',
      summary: 'Confirm the address a verification link was sent to',
      isRawBody: true,
      handler: async (req, res) => {
        const found = await find(deps, req);
        if (found === undefined) {
          throw new AppError(
            'verification_token_unknown',
            'This confirmation link is not known or has expired; the next message asks again.',
          );
        }
        const token = String(req.params.token);
        await withTransaction(deps.pool, async (client) => {
          const contactPointId = await recordContactPoint(client, deps.keyring, {
            patientId: found.patientId,
            address: found.address,
            source: found.source,
            verifiedAt: new Date().toISOString(),
            recordedBy: 'verification-link',
          });
          await markVerified(client, deps.keyring, token);
          await appendAudit(client, {
            actorId: `recipient:${addressHash(deps.keyring, found.address).slice(0, 16)}`,
            actorType: 'patient',
            action: 'consent.address-verified',
            decision: 'allowed',
            reason: 'address_verified',
            patientId: found.patientId,
            details: { contactPointId, source: found.source },
          });
        });
        sendPage(res, 200, TITLE, '<h1>Thank you</h1><p>Your email address is confirmed.</p>');
      },
    },
  ];
}

async function find(deps: ServerDeps, req: Request) {
  const parsed = TokenParams.safeParse(req.params);
  return parsed.success ? findVerification(deps.pool, deps.keyring, parsed.data.token) : undefined;
}
