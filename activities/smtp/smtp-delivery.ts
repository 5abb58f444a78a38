import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { certificateResultType } from './tls-result-types.js';
import { assertSecureTransport, type TransportTlsSettings } from './transport-policy.js';

/** The SMTP peer Pathwell hands messages to, and what it trusts the peer's certificate by. */
export interface SmtpPeer {
  host: string;
  port: number;
  implicitTls: boolean;
  auth?: { user: string; pass: string } | undefined;
  /** PEM certificates the peer's chain must lead to, besides the system's roots. */
  ca?: Buffer | string[] | undefined;
  /** The name Pathwell gives in EHLO. */
  clientName: string;
  /**
   * The name the certificate must be valid for, when `host` is an address (direct delivery
   * connects to the address DNS gave for the MX, and checks the certificate for the MX name).
   */
  servername?: string | undefined;
  /**
   * `verified` (default): STARTTLS required, certificate verified. `opportunistic`: STARTTLS
   * when offered, certificate not enforced, clear otherwise; only direct delivery of what the
   * protection table lets travel so (PHI-free notices, PGP-encrypted bodies, row 7) uses it.
   */
  tlsMode?: 'verified' | 'opportunistic' | undefined;
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
      reason: 'tls_required_not_supported' | 'cert_invalid' | 'mta_sts_mx_mismatch';
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
  /** RFC 3461 ENVID, so a DSN names the message without PHI; RET=HDRS keeps bodies out. */
  envelopeId?: string | undefined;
  /**
   * Called when the peer has answered DATA with 354, just before the first byte of the message:
   * the ledger marks the message in flight there, so "in flight" means "the peer may have it".
   */
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
  const settings =
    peer.tlsMode === 'opportunistic' ? opportunisticSettingsFor(peer) : transportSettingsFor(peer);
  if (peer.tlsMode !== 'opportunistic') {
    assertSecureTransport(settings);
  }
  const connection = new SMTPConnection({
    host: peer.host,
    port: peer.port,
    name: peer.clientName,
    ...settings,
    logger: false,
    transactionLog: false,
    ...TIMEOUTS,
  });
  // nodemailer reports connection and TLS failures as 'error' events (the connect callback only
  // runs on success); the first fails the hand-over, later ones must not crash the worker.
  const failed = new Promise<never>((_, reject) => connection.once('error', reject));
  failed.catch(() => undefined);
  connection.on('error', () => undefined);
  let phase: 'session' | 'transmit' = 'session';

  try {
    await Promise.race([
      failed,
      new Promise<void>((resolve, reject) =>
        connection.connect((error?: Error) => (error ? reject(error) : resolve())),
      ),
    ]);
    if (peer.auth !== undefined) {
      const auth = peer.auth;
      await new Promise<void>((resolve, reject) =>
        connection.login({ user: auth.user, pass: auth.pass }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
    const tls = tlsFacts(connection);
    // nodemailer reads a stream body only after the envelope and DATA succeed, so the first
    // read is the moment between "354" and the first byte of content.
    const body = new Readable({
      read() {
        if (phase === 'transmit') {
          return;
        }
        handover.beforeTransmit().then(
          () => {
            phase = 'transmit';
            this.push(handover.raw);
            this.push(null);
          },
          (error: Error) => this.destroy(error),
        );
      },
    });
    const info = await new Promise<{ response?: string }>((resolve, reject) =>
      connection.send(envelopeOf(handover), body, (error, result) =>
        error ? reject(error) : resolve(result),
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
): TransportTlsSettings & { tls: { ca?: Buffer | string[]; servername: string } } {
  return {
    secure: peer.implicitTls,
    requireTLS: !peer.implicitTls,
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      servername: peer.servername ?? peer.host,
      ...(peer.ca === undefined ? {} : { ca: peer.ca }),
    },
  };
}

// Opportunistic TLS (RFC 7435) for the direct hop of content the protection table lets travel
// without verified TLS. It is deliberately outside assertSecureTransport: that guard is for
// the PHI-capable transport, and this one is chosen per message by decideProtection's `hop`.
function opportunisticSettingsFor(peer: SmtpPeer): TransportTlsSettings & {
  tls: { ca?: Buffer | string[]; servername: string };
} {
  return {
    secure: false,
    opportunisticTLS: true,
    tls: {
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      servername: peer.servername ?? peer.host,
      ...(peer.ca === undefined ? {} : { ca: peer.ca }),
    },
  };
}

function envelopeOf(handover: Handover) {
  return {
    from: handover.from,
    to: [handover.to],
    ...(handover.envelopeId === undefined
      ? {}
      : { dsn: { ret: 'HDRS', envid: handover.envelopeId, notify: ['FAILURE', 'DELAY'] } }),
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

const CERT_MESSAGE =
  /certificate|self[- ]signed|altname|hostname\/ip does not match|unable to verify/i;

type SmtpFailure = {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  message?: string;
};

function classify(error: unknown, phase: 'session' | 'transmit'): DeliveryResult {
  const failure = error as SmtpFailure;
  const certResult = certificateFailureOf(failure);
  if (certResult !== undefined) {
    return { kind: 'tls_failed', reason: 'cert_invalid', resultType: certResult };
  }
  if (failure.code === 'ETLS') {
    return {
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

// RFC 8460 result types, so every TLS failure in the audit trail names one (AC-RPT-1).
function certificateFailureOf(failure: SmtpFailure): string | undefined {
  const known = certificateResultType(failure.originalCode) ?? certificateResultType(failure.code);
  if (known !== undefined) {
    return known;
  }
  const message = failure.message ?? '';
  const isTlsFailure = failure.code === 'ETLS' || failure.code === 'ESOCKET';
  if (!isTlsFailure || !CERT_MESSAGE.test(message)) {
    return undefined;
  }
  if (/altname|hostname\/ip does not match/i.test(message)) {
    return 'certificate-host-mismatch';
  }
  return /expired/i.test(message) ? 'certificate-expired' : 'certificate-not-trusted';
}

function enhancedStatusOf(message: string | undefined): string | undefined {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(message ?? '')?.[1];
}
