import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import type { RenderedMessage } from '../../engine/templates/render.js';
import { encryptTo, type RegisteredKey } from '../pgp/recipient-key.js';
import { type BuiltMessage, type MessageEnvelope, unsubscribeHeaders } from './build-mime.js';
import { dkimSign } from './dkim-sign.js';

/**
 * The subject every PGP message carries outside the encryption (COMPLIANCE.md AC-PGP-2, §4:
 * OpenPGP leaves headers in clear); the template's own subject travels inside.
 */
export const PGP_SUBJECT = 'An encrypted message from your care team';

/**
 * Builds a PGP/MIME message (RFC 3156): the whole rendered message, headers and both bodies,
 * encrypted to the recipient's key as the second part of a `multipart/encrypted` message whose
 * visible headers are generic. The final, encrypted message is what DKIM signs.
 */
export async function buildPgpMime(
  message: RenderedMessage,
  envelope: MessageEnvelope & { key: RegisteredKey },
): Promise<BuiltMessage> {
  const from = { address: envelope.from.address, name: message.fromName ?? envelope.from.name };
  const inner = await new Promise<Buffer>((resolve, reject) =>
    new MailComposer({
      from,
      to: envelope.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: envelope.messageId,
    })
      .compile()
      .build((error, built) => (error ? reject(error) : resolve(built))),
  );
  const armored = await encryptTo(envelope.key, inner);

  const root = new MimeNode('multipart/encrypted; protocol="application/pgp-encrypted"');
  root.setHeader({
    from,
    to: envelope.to,
    subject: PGP_SUBJECT,
    'message-id': envelope.messageId,
    'x-pathwell-ref': envelope.reference,
    ...unsubscribeHeaders(envelope),
  });
  root
    .createChild('application/pgp-encrypted')
    .setHeader({
      'content-description': 'PGP/MIME version identification',
      'content-transfer-encoding': '7bit',
    })
    .setContent('Version: 1\r\n');
  root
    .createChild('application/octet-stream; name="encrypted.asc"')
    .setHeader({
      'content-description': 'OpenPGP encrypted message',
      'content-disposition': 'inline; filename="encrypted.asc"',
      'content-transfer-encoding': '7bit',
    })
    .setContent(armored);

  const raw = await dkimSign(await root.build(), envelope.dkim);
  return { raw, sha256: createHash('sha256').update(raw).digest('hex') };
}
