import { type MtaStsPolicy, mxMatchesPolicy } from '../../engine/protection/mta-sts.js';
import type { Queryable } from '../../server/db/pool.js';
import { findStsPolicy } from '../../server/db/postures.store.js';
import type { MailDns } from '../posture/mail-dns.js';
import type { MailTransport, OutboundMessage, TransportResult } from './mail-transport.js';
import { deliver } from './smtp-delivery.js';

/** What direct delivery needs: DNS, the MX port, trusted roots, and the cached policies. */
export interface DirectSettings {
  db: Queryable;
  dns: MailDns;
  /** 25 in production; tests run their MXes on a port of their own. */
  smtpPort: number;
  ca: string[];
  clientName: string;
  /** At most this many MXes are tried, in preference order. */
  maxMx: number;
}

/**
 * Direct mode: deliver to the recipient domain's MXes in preference order. The hop the
 * protection decision asked for is enforced on the delivery connection itself, never taken
 * from the posture cache (COMPLIANCE.md §1.1: the capability can change between probe and
 * delivery): `verified` requires STARTTLS and a certificate valid for the MX name and never
 * falls back to clear; under an MTA-STS `enforce` policy only matching MXes are used and every
 * hop is verified. A 5xx answer ends the attempt; a TLS failure or a connection that does not
 * answer moves on to the next MX.
 */
export function directTransport(settings: DirectSettings): MailTransport {
  return {
    mode: 'direct',
    send: (message) => sendDirect(settings, message),
  };
}

async function sendDirect(
  settings: DirectSettings,
  message: OutboundMessage,
): Promise<TransportResult> {
  const domain = message.to.slice(message.to.lastIndexOf('@') + 1).toLowerCase();
  let hosts: string[];
  try {
    hosts = await settings.dns.mxHosts(domain);
  } catch {
    return { kind: 'deferred', smtpCode: undefined, errorCode: 'EDNS' };
  }
  if (hosts.length === 0) {
    // No MX and no address, or a null MX (RFC 7505): the domain takes no mail at all.
    return { kind: 'rejected', smtpCode: 550, enhancedStatus: '5.1.2' };
  }
  const policy = (await findStsPolicy(settings.db, domain))?.policy;
  const candidates = eligibleHosts(hosts, policy).slice(0, settings.maxMx);
  if (candidates.length === 0) {
    return {
      kind: 'tls_failed',
      reason: 'mta_sts_mx_mismatch',
      resultType: 'validation-failure',
    };
  }
  const isVerified = message.hop === 'verified' || policy?.mode === 'enforce';

  let failure: TransportResult | undefined;
  for (const mxHost of candidates) {
    const address = await settings.dns.address(mxHost).catch(() => undefined);
    if (address === undefined) {
      failure ??= { kind: 'deferred', smtpCode: undefined, errorCode: 'EDNS', mxHost };
      continue;
    }
    const result = await deliver(
      {
        host: address,
        port: settings.smtpPort,
        implicitTls: false,
        servername: mxHost,
        ca: settings.ca,
        clientName: settings.clientName,
        tlsMode: isVerified ? 'verified' : 'opportunistic',
      },
      {
        from: message.from,
        to: message.to,
        raw: message.raw,
        envelopeId: message.envelopeId,
        beforeTransmit: message.beforeTransmit,
      },
    );
    if (result.kind === 'accepted' || result.kind === 'rejected' || result.kind === 'unknown') {
      return { ...result, mxHost };
    }
    // A TLS failure says more about the domain than a connection that did not answer.
    if (failure === undefined || (result.kind === 'tls_failed' && failure.kind !== 'tls_failed')) {
      failure = { ...result, mxHost };
    }
  }
  return failure ?? { kind: 'deferred', smtpCode: undefined, errorCode: 'ECONNECTION' };
}

function eligibleHosts(hosts: string[], policy: MtaStsPolicy | undefined): string[] {
  if (policy?.mode !== 'enforce') {
    return hosts;
  }
  return hosts.filter((host) => mxMatchesPolicy(host, policy));
}
