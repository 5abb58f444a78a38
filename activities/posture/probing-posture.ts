import {
  type MxProbe,
  postureOf,
  type PostureRecord,
} from '../../engine/protection/recipient-posture.js';
import type { Queryable } from '../../server/db/pool.js';
import { findPosture, savePosture } from '../../server/db/postures.store.js';
import type { Logger } from '../../server/log/logger.js';
import type { MailDns } from './mail-dns.js';
import type { PostureReading, PostureSource } from './posture-source.js';
import { probeMx } from './probe-mx.js';
import { stsStateOf } from './sts-state.js';

/** How recipient domains are probed: DNS, ports, trusted roots, limits. */
export interface ProbeSettings {
  dns: MailDns;
  /** The port MXes are reached on (25; tests use their own). */
  smtpPort: number;
  /** The port MTA-STS policy hosts are reached on (443; tests use their own). */
  httpsPort: number;
  /** Trusted roots for MX and policy-host certificates. */
  ca: string[];
  clientName: string;
  timeoutMs: number;
  /** At most this many MXes are probed, in preference order. */
  maxMx: number;
}

/**
 * Recipient postures from the probe (COMPLIANCE.md §1.2, AC-ENC-2): the cached capability
 * record while it is fresh, otherwise MX lookup, MTA-STS, and a STARTTLS probe of each MX in
 * preference order until one verifies, cached until its expiry. A DNS failure reads as
 * `unknown` (row 11 defers the send) and is cached only briefly.
 */
export function probingPosture(
  deps: { pool: Queryable; log: Logger },
  settings: ProbeSettings,
): PostureSource {
  return async (domain) => {
    const cached = await findPosture(deps.pool, domain);
    if (cached !== undefined) {
      return readingOf(cached, 'cache');
    }
    const record = await probeDomain(deps.pool, domain, settings);
    await savePosture(deps.pool, record);
    deps.log.info(
      { domain, transport: record.transport, mtaStsMode: record.mtaStsMode },
      'Recipient domain probed',
    );
    return readingOf(record, 'probe');
  };
}

/** Probes one domain now, without the cache. */
export async function probeDomain(
  db: Queryable,
  domain: string,
  settings: ProbeSettings,
): Promise<PostureRecord> {
  const now = new Date().toISOString();
  const sts = await stsStateOf(
    db,
    domain,
    { dns: settings.dns, port: settings.httpsPort, ca: settings.ca, timeoutMs: settings.timeoutMs },
    now,
  );
  let hosts: string[];
  try {
    hosts = (await settings.dns.mxHosts(domain)).slice(0, settings.maxMx);
  } catch {
    return postureOf(domain, [], sts, now);
  }

  const probes: MxProbe[] = [];
  for (const mxHost of hosts) {
    const address = await settings.dns.address(mxHost).catch(() => undefined);
    const probe =
      address === undefined
        ? unreachable(mxHost)
        : await probeMx({
            mxHost,
            address,
            port: settings.smtpPort,
            ca: settings.ca,
            clientName: settings.clientName,
            timeoutMs: settings.timeoutMs,
          });
    probes.push(probe);
    const record = postureOf(domain, probes, sts, now);
    if (record.transport === 'sts_enforce_ok' || record.transport === 'pkix_tls_ok') {
      return record;
    }
  }
  return postureOf(domain, probes, sts, now);
}

/** The reading a capability record gives. */
export function readingOf(record: PostureRecord, source: 'probe' | 'cache'): PostureReading {
  return {
    transport: record.transport,
    source,
    ...(record.resultType === null ? {} : { resultType: record.resultType }),
    record,
    ...(record.refusal === null ? {} : { refusal: record.refusal }),
  };
}

function unreachable(mxHost: string): MxProbe {
  return {
    mxHost,
    isReachable: false,
    starttls: false,
    tlsVersion: null,
    certValid: false,
    certError: null,
  };
}
