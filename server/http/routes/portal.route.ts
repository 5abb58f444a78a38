import { randomInt } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { openEscrowed, portalAddress } from '../../../activities/portal/escrow.js';
import { portalCodeEmail } from '../../../activities/portal/notification.js';
import { AppError } from '../../../engine/errors/app-error.js';
import {
  PORTAL_CODE_TTL_MS,
  PORTAL_WRONG_CODES_TOLERATED,
  pickupGate,
} from '../../../engine/portal/pickup-rules.js';
import { configKeyProvider } from '../../crypto/key-provider.js';
import { type AuditEntry, appendAudit } from '../../db/audit.store.js';
import {
  countWrongCode,
  findPortalMessage,
  type PortalMessageRow,
  setPortalCode,
  spendPortalCode,
} from '../../db/portal.store.js';
import { addressHash } from '../../db/suppressions.store.js';
import { tokenHash } from '../../db/unsubscribe-tokens.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { escapeHtml, formFields, sendPage } from '../html-page.js';
import type { Route } from '../route.js';

const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) });
const TITLE = 'Secure message';

/**
 * The secure portal's pickup pages (COMPLIANCE.md §1.5). The link's token finds the message;
 * reading it takes a one-time code sent to the address on file (10 minutes, five wrong codes
 * tolerated, the sixth locks it); the message expires; every view is audited with the
 * recipient as actor. Pages and titles carry no PHI until the code is accepted.
 */
export function portalRoutes(deps: ServerDeps): Route[] {
  const common = {
    tags: ['portal'],
    // Public by design: the token and the one-time code are the credentials.
    access: 'public' as const,
    request: { params: TokenParams },
    responses: {
      200: { description: 'A portal page' },
      404: { description: 'Unknown link' },
      410: { description: 'The message expired' },
      423: { description: 'Locked after too many wrong codes' },
    },
  };
  return [
    {
      ...common,
      method: 'get',
      path: '/m/:token',
      summary: 'Show the pickup page of a secure message',
      handler: async (req, res) => {
        const message = await gate(deps, req, res);
        if (message !== undefined) {
          codePage(
            res,
            req,
            200,
            'To read your secure message, ask for a one-time code. We send it to the email address this message was sent to.',
          );
        }
      },
    },
    {
      ...common,
      method: 'post',
      path: '/m/:token/code',
      summary: 'Send a one-time code for a secure message to the address on file',
      isRawBody: true,
      handler: async (req, res) => {
        const message = await gate(deps, req, res);
        if (message === undefined) {
          return;
        }
        await sendCode(deps, message);
        codePage(
          res,
          req,
          200,
          'We sent a one-time code to your email address. Enter it below; it works for 10 minutes.',
        );
      },
    },
    {
      ...common,
      method: 'post',
      path: '/m/:token/open',
      summary: 'Open a secure message with its one-time code',
      isRawBody: true,
      handler: async (req, res) => {
        const message = await gate(deps, req, res);
        if (message !== undefined) {
          await openWithCode(deps, req, res, message);
        }
      },
    },
  ];
}

async function gate(
  deps: ServerDeps,
  req: Request,
  res: Response,
): Promise<PortalMessageRow | undefined> {
  const params = TokenParams.safeParse(req.params);
  const message = params.success
    ? await findPortalMessage(deps.pool, tokenHash(deps.keyring, params.data.token))
    : undefined;
  if (message === undefined) {
    sendPage(
      res,
      404,
      TITLE,
      '<h1>This link is not known</h1><p>Check that the whole link was copied.</p>',
    );
    return undefined;
  }
  const state = pickupGate(
    { ...message, hasCode: message.otpHash !== null },
    new Date().toISOString(),
  );
  if (state === 'expired') {
    await audit(deps, message, {
      action: 'portal.open',
      decision: 'blocked',
      reason: 'portal_message_expired',
    });
    sendPage(
      res,
      410,
      TITLE,
      '<h1>This message has expired</h1><p>Contact your care team if you still need it.</p>',
    );
    return undefined;
  }
  if (state === 'locked') {
    sendPage(
      res,
      423,
      TITLE,
      '<h1>This message is locked</h1><p>Too many wrong codes were entered. Contact your care team.</p>',
    );
    return undefined;
  }
  return message;
}

async function sendCode(deps: ServerDeps, message: PortalMessageRow): Promise<void> {
  if (deps.mailer === undefined) {
    throw new AppError(
      'dependency_unavailable',
      'This server has no mail transport configured, so it cannot send one-time codes.',
    );
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await setPortalCode(deps.pool, message.id, {
    hash: codeHash(deps, message, code),
    expiresAt: new Date(Date.now() + PORTAL_CODE_TTL_MS).toISOString(),
  });
  const address = portalAddress(deps.keyring, message.address);
  const isSent = await deps.mailer.send(address, portalCodeEmail(code, deps.config.orgName));
  await audit(deps, message, {
    action: 'portal.code_sent',
    decision: isSent ? 'allowed' : 'blocked',
    reason: isSent ? 'portal_code_sent' : 'portal_code_not_sent',
  });
  if (!isSent) {
    throw new AppError(
      'dependency_unavailable',
      'The one-time code could not be sent; try again in a few minutes.',
    );
  }
}

async function openWithCode(
  deps: ServerDeps,
  req: Request,
  res: Response,
  message: PortalMessageRow,
): Promise<void> {
  const code = (formFields(req.body).get('code') ?? '').trim();
  const state = pickupGate(
    { ...message, hasCode: message.otpHash !== null },
    new Date().toISOString(),
  );
  const isRight =
    state === 'open' && /^\d{6}$/.test(code) && codeHash(deps, message, code) === message.otpHash;
  if (!isRight) {
    const count = await countWrongCode(deps.pool, message.id, PORTAL_WRONG_CODES_TOLERATED + 1);
    const reason = count.isLocked ? 'portal_auth_lockout' : 'portal_code_invalid';
    await audit(deps, message, {
      action: 'portal.open',
      decision: 'blocked',
      reason,
      details: { attempts: count.attempts },
    });
    if (count.isLocked) {
      sendPage(
        res,
        423,
        TITLE,
        '<h1>This message is locked</h1><p>Too many wrong codes were entered. Contact your care team.</p>',
      );
      return;
    }
    codePage(res, req, 401, 'That code is wrong or has expired. Ask for a new one, or try again.');
    return;
  }
  await spendPortalCode(deps.pool, message.id);
  const content = openEscrowed(configKeyProvider(deps.keyring), message);
  await audit(deps, message, {
    action: 'portal.view',
    decision: 'allowed',
    reason: 'portal_message_viewed',
  });
  sendPage(
    res,
    200,
    TITLE,
    `<h1>${escapeHtml(content.subject)}</h1><div>${content.html === '' ? `<pre>${escapeHtml(content.text)}</pre>` : content.html}</div>`,
  );
}

function codePage(res: Response, req: Request, status: number, text: string): void {
  const base = `/m/${escapeHtml(String(req.params.token))}`;
  sendPage(
    res,
    status,
    TITLE,
    `<h1>Secure message</h1><p>${escapeHtml(text)}</p><form method="post" action="${base}/code"><button type="submit">Send me a code</button></form><form method="post" action="${base}/open"><label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></label> <button type="submit">Open the message</button></form>`,
  );
}

function codeHash(deps: ServerDeps, message: PortalMessageRow, code: string): string {
  return deps.keyring.lookupHash(`portal-code\u0000${message.id}\u0000${code}`);
}

// AC-PRT-4: the actor is the portal recipient, identified by the address's keyed hash.
async function audit(
  deps: ServerDeps,
  message: PortalMessageRow,
  event: Pick<AuditEntry, 'action' | 'decision' | 'reason' | 'details'>,
): Promise<void> {
  const address = portalAddress(deps.keyring, message.address);
  await appendAudit(deps.pool, {
    actorId: `recipient:${addressHash(deps.keyring, address).slice(0, 16)}`,
    actorType: 'patient',
    patientId: message.patientId,
    workflowId: message.workflowId,
    stepId: message.stepId,
    messageId: message.messageId,
    method: 'portal',
    ...event,
  });
}
