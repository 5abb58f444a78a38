import type { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { assertSecureTransport, type TransportTlsSettings } from './transport-policy.js';

/** The SMTP peer Pathwell hands messages to, and what it trusts the peer's certificate by. */
export interface SmtpPeer {
  host: string;
  port: number;
  implicitTls: boolean;
  auth?: { user: string; pass: string } | undefined;
  /** PEM certificates the peer's chain must lead to, besides the system's roots. */
  ca?: Buffer | undefined;
  /** The name Pathwell gives in EHLO. */
  clientName: string;
}

/** The TLS session a message went over, for the delivery ledger and the audit trail. */
export interface TlsFacts {
  protocol: string | null;
  cipher: string | null;
  certVerified: boolean;
}

/**
 * How a hand-over ended. `unknown`: the body may have reached the peer but its answer did not
 * reach Pathwell (a dropped connection, a timeout), so a retry may deliver a second copy.
 */
export type DeliveryResult =
  | { kind: 'accepted'; smtpCode: number; tls: TlsFacts }
  | {
      kind: 'tls_failed';
      reason: 'tls_required_not_supported' | 'cert_invalid';
      resultType: string;
    }
  | { kind: 'rejected'; smtpCode: number; enhancedStatus: string | undefined }
  | { kind: 'deferred'; smtpCode: number | undefined; errorCode: string | undefined }
  | { kind: 'unknown'; errorCode: string | undefined };

/** What to hand over: an envelope and the finished MIME message. */
export interface Handover {
  from: string;
  to: string;
  raw: Buffer;
  /** Called once TLS is up and just before MAIL FROM: the ledger marks the message in flight. */
  beforeTransmit: () => Promise<void>;
}

const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/**
 * Hands one message to the SMTP peer over verified TLS, never in clear.
 *
 * STARTTLS is required even if the peer does not advertise it (nodemailer then fails with
 * ETLS before any mail command), and the certificate must chain to a trusted CA and match the
 * host name. Nothing of the message is logged: nodemailer's logger and debug stay off.
 */
export async function deliver(peer: SmtpPeer, handover: Handover): Promise<DeliveryResult> {
  const settings = transportSettingsFor(peer);
  assertSecureTransport(settings);
  const connection = new SMTPConnection({
    host: peer.host,
    port: peer.port,
    name: peer.clientName,
    ...settings,
    logger: false,
    transactionLog: false,
    ...TIMEOUTS,
  });
  // Errors also arrive as events after a callback has failed; without a listener they would
  // crash the worker.
  connection.on('error', () => undefined);
  let phase: 'session' | 'transmit' = 'session';

  try {
    await new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(error) : resolve())),
    );
    if (peer.auth !== undefined) {
      const auth = peer.auth;
      await new Promise<void>((resolve, reject) =>
        connection.login({ user: auth.user, pass: auth.pass }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
    const tls = tlsFacts(connection);
    await handover.beforeTransmit();
    phase = 'transmit';
    const info = await new Promise<{ response?: string }>((resolve, reject) =>
      connection.send({ from: handover.from, to: [handover.to] }, handover.raw, (error, result) =>
        error ? reject(error) : resolve(result as { response?: string }),
      ),
    );
    return {
      kind: 'accepted',
      smtpCode: Number(/^\d{3}/.exec(info.response ?? '250')?.[0] ?? 250),
      tls,
    };
  } catch (error) {
    return classify(error, phase);
  } finally {
    connection.quit();
    connection.close();
  }
}

/** The TLS settings Pathwell's transport uses for a peer: TLS required, certificate verified. */
export function transportSettingsFor(
  peer: SmtpPeer,
): TransportTlsSettings & { tls: { ca?: Buffer; servername: string } } {
  return {
    secure: peer.implicitTls,
    requireTLS: !peer.implicitTls,
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      servername: peer.host,
      ...(peer.ca === undefined ? {} : { ca: peer.ca }),
    },
  };
}

function tlsFacts(connection: SMTPConnection): TlsFacts {
  const socket = connection._socket as TLSSocket | false | null;
  if (!connection.secure || !socket || typeof socket.getProtocol !== 'function') {
    return { protocol: null, cipher: null, certVerified: false };
  }
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? null,
    certVerified: socket.authorized,
  };
}

const CERT_PROBLEM =
  /certificate|self[- ]signed|altname|hostname\/ip does not match|unable to verify|expired/i;

function classify(error: unknown, phase: 'session' | 'transmit'): DeliveryResult {
  const failure = error as {
    code?: string;
    responseCode?: number;
    command?: string;
    message?: string;
  };
  if (failure.code === 'ETLS') {
    const isCert = CERT_PROBLEM.test(failure.message ?? '');
    return isCert
      ? {
          kind: 'tls_failed',
          reason: 'cert_invalid',
          resultType: certResultType(failure.message ?? ''),
        }
      : {
          kind: 'tls_failed',
          reason: 'tls_required_not_supported',
          resultType: 'starttls-not-supported',
        };
  }
  const code = failure.responseCode;
  const isAnswered = typeof code === 'number' && code >= 400;
  if (isAnswered && code >= 500) {
    return { kind: 'rejected', smtpCode: code, enhancedStatus: enhancedStatusOf(failure.message) };
  }
  if (isAnswered) {
    return { kind: 'deferred', smtpCode: code, errorCode: failure.code };
  }
  // No answer: before transmission nothing was sent, so a retry is exact; after it, the peer
  // may hold the message already.
  return phase === 'session'
    ? { kind: 'deferred', smtpCode: undefined, errorCode: failure.code }
    : { kind: 'unknown', errorCode: failure.code };
}

function certResultType(message: string): string {
  if (/altname|hostname\/ip does not match/i.test(message)) {
    return 'certificate-host-mismatch';
  }
  if (/expired/i.test(message)) {
    return 'certificate-expired';
  }
  return 'certificate-not-trusted';
}

function enhancedStatusOf(message: string | undefined): string | undefined {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(message ?? '')?.[1];
}
