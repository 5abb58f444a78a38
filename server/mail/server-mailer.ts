import { randomBytes } from 'node:crypto';
import { buildMime } from '../../activities/send/build-mime.js';
import type { DkimKey } from '../../activities/send/dkim-sign.js';
import type { MailTransport } from '../../activities/smtp/mail-transport.js';
import type { RenderedMessage } from '../../engine/templates/render.js';

/** Sends the server's own PHI-free messages (portal one-time codes, address verification). */
export interface ServerMailer {
  send: (to: string, message: RenderedMessage) => Promise<boolean>;
}

/**
 * A mailer over the same transport and DKIM key the worker uses. Its messages are fixed texts
 * with no PHI; they are not journey sends, so they have no ledger row. In direct mode they ask
 * for verified TLS and, where the recipient's MX cannot give it, go with opportunistic TLS,
 * as the portal notification does (COMPLIANCE.md §4: PHI-free notices travel over whatever
 * the recipient supports).
 */
export function serverMailer(options: {
  transport: MailTransport;
  from: { address: string; name: string };
  dkim: DkimKey;
}): ServerMailer {
  const domain = options.from.address.slice(options.from.address.lastIndexOf('@') + 1);
  return {
    send: async (to, message) => {
      const id = randomBytes(16).toString('hex');
      const built = await buildMime(message, {
        from: options.from,
        to,
        messageId: `<${id}@${domain}>`,
        reference: id.slice(0, 24),
        dkim: options.dkim,
      });
      const outbound = {
        from: options.from.address,
        to,
        raw: built.raw,
        envelopeId: id.slice(0, 24),
        beforeTransmit: async () => undefined,
      };
      let result = await options.transport.send({ ...outbound, hop: 'verified' });
      if (result.kind === 'tls_failed' && options.transport.mode === 'direct') {
        result = await options.transport.send({ ...outbound, hop: 'opportunistic' });
      }
      return result.kind === 'accepted';
    },
  };
}
