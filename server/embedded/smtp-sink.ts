import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DevCertificates } from './dev-ca.js';
import type { DevOutbox, OutboxMessage } from './dev-outbox.js';

/** A running development SMTP sink. */
export interface SmtpSink {
  port: number;
  close: () => Promise<void>;
}

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * The development SMTP sink: offers STARTTLS with the development CA's certificate, accepts
 * every message and keeps it in the outbox. It never relays anything anywhere.
 *
 * @param options.port - 0 for any free port
 */
export async function startSmtpSink(options: {
  port: number;
  host?: string;
  certificates: DevCertificates;
  outbox: DevOutbox;
}): Promise<SmtpSink> {
  const server = new SMTPServer({
    secure: false,
    key: options.certificates.keyPem,
    cert: options.certificates.certPem,
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: MAX_MESSAGE_BYTES,
    banner: 'Pathwell development sink: nothing leaves this machine',
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          options.outbox.add({
            envelope: {
              from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            },
            subject: parsed.subject ?? '',
            secure: session.secure,
            headers: headerMap(parsed.headerLines),
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Raw header lines as a map of lower-case names to a value, or a list when repeated. */
export function headerMap(
  lines: ReadonlyArray<{ key: string; line: string }>,
): OutboxMessage['headers'] {
  const headers: OutboxMessage['headers'] = {};
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const existing = headers[key];
    headers[key] =
      existing === undefined
        ? value
        : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return headers;
}
