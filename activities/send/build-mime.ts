import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { RenderedMessage } from '../../engine/templates/render.js';
import { type DkimKey, dkimSign } from './dkim-sign.js';

/** A finished message: the bytes handed to the peer and their hash for the ledger. */
export interface BuiltMessage {
  raw: Buffer;
  sha256: string;
}

/** Who a message is from and to, and the ids that make it traceable without PHI. */
export interface MessageEnvelope {
  from: { address: string; name: string };
  to: string;
  messageId: string;
  /** An opaque reference for bounce correlation (RFC 3461 ENVID); never PHI. */
  reference: string;
  /** Marketing: RFC 2369 / RFC 8058 one-click unsubscribe, an https and a mailto URI. */
  unsubscribe?: { https: string; mailto: string } | undefined;
  /** Every message is DKIM-signed over its final bytes. */
  dkim: DkimKey;
}

/**
 * Builds the MIME message with nodemailer's composer. The preheader goes at the top of the HTML
 * body, hidden, where mail clients show it as the preview line.
 */
export async function buildMime(
  message: RenderedMessage,
  envelope: MessageEnvelope,
): Promise<BuiltMessage> {
  const html =
    message.preheader === undefined
      ? message.html
      : `${preheaderBlock(message.preheader)}${message.html}`;
  const composer = new MailComposer({
    from: { address: envelope.from.address, name: message.fromName ?? envelope.from.name },
    to: envelope.to,
    subject: message.subject,
    text: message.text,
    html,
    messageId: envelope.messageId,
    headers: { 'X-Pathwell-Ref': envelope.reference, ...unsubscribeHeaders(envelope) },
  });
  const unsigned = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, built) => (error ? reject(error) : resolve(built))),
  );
  const raw = await dkimSign(unsigned, envelope.dkim);
  return { raw, sha256: createHash('sha256').update(raw).digest('hex') };
}

/** The RFC 2369 / RFC 8058 headers; nodemailer's `list` option does not write the Post one. */
export function unsubscribeHeaders(envelope: MessageEnvelope): Record<string, string> {
  if (envelope.unsubscribe === undefined) {
    return {};
  }
  return {
    'List-Unsubscribe': `<${envelope.unsubscribe.https}>, <${envelope.unsubscribe.mailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function preheaderBlock(preheader: string): string {
  const escaped = preheader.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<div style="display:none;max-height:0;overflow:hidden">${escaped}</div>`;
}
