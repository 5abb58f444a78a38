import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A message the test server received. */
export interface ReceivedMessage {
  envelope: { from: string; to: string[] };
  secure: boolean;
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string | undefined;
}

/** Where the server holds its reply, until the test releases it. */
export type HoldPoint = 'rcpt' | 'data-end';

/** How the test SMTP server behaves. */
export interface TestSmtpOptions {
  /** Offer STARTTLS with a certificate from `tlsDir` (default true). */
  tls?: boolean;
  /** A folder with `localhost.pem` and `localhost-key.pem` (see ensureDevCertificates). */
  tlsDir?: string;
  /** A certificate and key to offer instead of the ones in `tlsDir`. */
  certificate?: { certPem: string; keyPem: string };
  /** Where to listen (default 127.0.0.1 on a free port): MXes share one port on many addresses. */
  listen?: { host: string; port: number };
  /** Hold the reply to the first RCPT TO, or to the first message body, until `release()`. */
  holdAt?: HoldPoint;
  /** Answer a message body with this SMTP failure instead of 250 (return undefined to accept). */
  answerData?: (count: number) => { code: number; message: string } | undefined;
}

/** A real SMTP server (the smtp-server package) on a free port, recording what it gets. */
export interface TestSmtpServer {
  port: number;
  url: string;
  messages: ReceivedMessage[];
  /** SMTP sessions opened. */
  sessions: () => number;
  /** DATA commands received: zero means no message content was sent. */
  dataCommands: () => number;
  /** Resolves when the server starts holding a reply. */
  held: Promise<void>;
  release: () => void;
  waitForMessages: (count: number, timeoutMs?: number) => Promise<ReceivedMessage[]>;
  close: () => Promise<void>;
}

/** Starts a test SMTP server on 127.0.0.1. */
export async function startTestSmtpServer(options: TestSmtpOptions): Promise<TestSmtpServer> {
  const messages: ReceivedMessage[] = [];
  let sessions = 0;
  let dataCommands = 0;
  let isHolding = false;
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  const releases: Array<() => void> = [];
  let isReleased = false;
  const hold = (point: HoldPoint, proceed: () => void) => {
    if (options.holdAt !== point || isHolding || isReleased) {
      proceed();
      return;
    }
    isHolding = true;
    releases.push(proceed);
    markHeld();
  };

  const withTls = options.tls !== false;
  const server = new SMTPServer({
    secure: false,
    ...(withTls ? certificateOf(options) : { hideSTARTTLS: true, disabledCommands: ['STARTTLS'] }),
    authOptional: true,
    logger: false,
    onConnect(_session: SMTPServerSession, callback: (error?: Error) => void) {
      sessions += 1;
      callback();
    },
    onRcptTo(_address, _session, callback) {
      hold('rcpt', () => callback());
    },
    onData(stream, session, callback) {
      dataCommands += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          // Recorded when the body is complete, before the answer: like an MTA that has
          // queued the message and then loses the client before its 250 gets through.
          messages.push({
            envelope: {
              from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            },
            secure: session.secure,
            raw,
            parsed,
            messageId: parsed.messageId,
          });
          const failure = options.answerData?.(dataCommands);
          hold('data-end', () => {
            if (failure === undefined) {
              callback();
              return;
            }
            const error = new Error(failure.message) as Error & { responseCode: number };
            error.responseCode = failure.code;
            callback(error);
          });
        });
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: `smtp://localhost:${port}`,
    messages,
    sessions: () => sessions,
    dataCommands: () => dataCommands,
    held,
    release: () => {
      isReleased = true;
      for (const proceed of releases.splice(0)) {
        proceed();
      }
    },
    waitForMessages: async (count, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `Expected ${count} messages, got ${messages.length} within ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function certificateOf(options: TestSmtpOptions): { key: Buffer | string; cert: Buffer | string } {
  if (options.certificate !== undefined) {
    return { key: options.certificate.keyPem, cert: options.certificate.certPem };
  }
  const dir = options.tlsDir ?? '';
  return {
    key: fs.readFileSync(path.join(dir, 'localhost-key.pem')),
    cert: fs.readFileSync(path.join(dir, 'localhost.pem')),
  };
}
