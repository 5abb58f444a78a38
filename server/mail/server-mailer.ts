import { randomBytes } from 'node:crypto';
import { buildMime } from '../../activities/send/build-mime.js';
import type { DkimKey } from '../../activities/send/dkim-sign.js';
import { deliver, type SmtpPeer } from '../../activities/smtp/smtp-delivery.js';
import type { RenderedMessage } from '../../engine/templates/render.js';

/** Sends the server's own PHI-free messages (portal one-time codes). */
export interface ServerMailer {
  send: (to: string, message: RenderedMessage) => Promise<boolean>;
}

/**
 * A mailer over the same verified-TLS transport and DKIM key the worker uses. Its messages are
 * fixed texts with no PHI; they are not journey sends, so they have no ledger row.
 */
export function serverMailer(options: {
  smtp: SmtpPeer;
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
      const result = await deliver(options.smtp, {
        from: options.from.address,
        to,
        raw: built.raw,
        beforeTransmit: async () => undefined,
      });
      return result.kind === 'accepted';
    },
  };
}
