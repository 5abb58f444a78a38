import type { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { MxProbe } from '../../engine/protection/recipient-posture.js';
import { certificateResultType } from '../smtp/tls-result-types.js';

/** Where one MX is reached and what its certificate is checked against. */
export interface MxTarget {
  mxHost: string;
  /** The address DNS gave for the MX. */
  address: string;
  port: number;
  /** Trusted roots: the system's and any configured ones. */
  ca: string[];
  clientName: string;
  timeoutMs: number;
}

/**
 * Probes one MX the way delivery will meet it: connect, EHLO, STARTTLS, then look at the TLS
 * session (version, and whether the certificate chains to a trusted root, is unexpired and is
 * valid for the MX name), and QUIT. No mail command is sent.
 *
 * The certificate is not enforced here (`rejectUnauthorized: false`) so that a failure can be
 * recorded with its RFC 8460 result type; delivery enforces it again on its own connection,
 * because a posture can change between probe and delivery (AC-ENC-1).
 */
export async function probeMx(target: MxTarget): Promise<MxProbe> {
  const connection = new SMTPConnection({
    host: target.address,
    port: target.port,
    name: target.clientName,
    secure: false,
    requireTLS: true,
    tls: {
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      servername: target.mxHost,
      ca: target.ca,
    },
    logger: false,
    transactionLog: false,
    connectionTimeout: target.timeoutMs,
    greetingTimeout: target.timeoutMs,
    socketTimeout: target.timeoutMs,
  });
  connection.on('error', () => undefined);
  const base: MxProbe = {
    mxHost: target.mxHost,
    isReachable: false,
    starttls: false,
    tlsVersion: null,
    certValid: false,
    certError: null,
  };

  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    const socket = connection._socket as TLSSocket;
    const isAuthorized = socket.authorized === true;
    return {
      ...base,
      isReachable: true,
      starttls: true,
      tlsVersion: socket.getProtocol?.() ?? null,
      certValid: isAuthorized,
      certError: isAuthorized
        ? null
        : (certificateResultType(String(socket.authorizationError ?? '')) ??
          'certificate-not-trusted'),
    };
  } catch (error) {
    return { ...base, ...failureFacts(error as { code?: string; message?: string }) };
  } finally {
    connection.quit();
    connection.close();
  }
}

// nodemailer reports a refused STARTTLS and a failed handshake both as ETLS, told apart by the
// message; anything else before a session exists means the MX did not answer.
function failureFacts(failure: { code?: string; message?: string }): Partial<MxProbe> {
  if (failure.code !== 'ETLS') {
    return { isReachable: false };
  }
  if (/initiating TLS/i.test(failure.message ?? '')) {
    return { isReachable: true, starttls: true, certError: 'validation-failure' };
  }
  return { isReachable: true, starttls: false };
}
