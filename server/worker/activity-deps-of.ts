import tls from 'node:tls';
import type { ActivityDeps } from '../../activities/activity-deps.js';
import { type MailDns, systemMailDns } from '../../activities/posture/mail-dns.js';
import { type PostureSource, relayPosture } from '../../activities/posture/posture-source.js';
import { probingPosture } from '../../activities/posture/probing-posture.js';
import { directTransport } from '../../activities/smtp/direct-delivery.js';
import { type MailTransport, relayTransport } from '../../activities/smtp/mail-transport.js';
import type { SmtpPeer } from '../../activities/smtp/smtp-delivery.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';
import { loadDkimKey } from '../config/dkim-key.js';
import { configKeyProvider } from '../crypto/key-provider.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log/logger.js';

/**
 * Where recipient MXes and MTA-STS policy hosts are reached, and what their certificates may
 * chain to. Production uses ports 25 and 443 and the system's roots; tests run local servers
 * on ports of their own with certificates from a test CA.
 */
export interface RecipientNetwork {
  smtpPort: number;
  httpsPort: number;
  /** Extra trusted roots, besides the system's. */
  extraCa: string[];
}

const PRODUCTION_NETWORK: RecipientNetwork = { smtpPort: 25, httpsPort: 443, extraCa: [] };
const PROBE_TIMEOUT_MS = 10_000;
const MAX_MX = 3;

/**
 * The activities' dependencies from the configuration: the worker and the test harness build
 * them the same way, so a setting cannot mean one thing in tests and another in production.
 *
 * @param overrides.posture - where recipient postures come from (default: the probe in direct
 *   mode or with `PATHWELL_RECIPIENT_PROBE`, the relay's otherwise)
 * @param overrides.network - recipient ports and extra roots (tests)
 */
export function activityDepsOf(
  config: Config,
  services: { pool: Pool; keyring: Keyring; smtp?: SmtpPeer | undefined; log: Logger },
  overrides: { posture?: PostureSource; network?: RecipientNetwork } = {},
): ActivityDeps {
  const dkim = loadDkimKey({
    keyFile: config.compliance.dkimKeyFile,
    domain: config.compliance.dkimDomain,
    selector: config.compliance.dkimSelector,
    dataDir: config.dataDir,
    mode: config.mode,
  });
  const recipients = recipientsOf(config, services, overrides.network ?? PRODUCTION_NETWORK);
  return {
    ...services,
    settings: {
      from: config.from,
      orgName: config.orgName,
      orgTimeZone: config.orgTimeZone,
      publicUrl: config.publicUrl,
    },
    compliance: config.compliance,
    keyProvider: configKeyProvider(services.keyring),
    dkim: {
      domainName: dkim.domainName,
      keySelector: dkim.keySelector,
      privateKey: dkim.privateKey,
    },
    transport: recipients.transport,
    posture: overrides.posture ?? recipients.posture,
  };
}

/** The delivery transport and posture source the configuration asks for. */
export function recipientsOf(
  config: Config,
  services: { pool: Pool; smtp?: SmtpPeer | undefined; log: Logger },
  network: RecipientNetwork = PRODUCTION_NETWORK,
): { transport: MailTransport; posture: PostureSource; dns: MailDns } {
  const { compliance } = config;
  const dns = systemMailDns({ servers: compliance.dnsServers, timeoutMs: PROBE_TIMEOUT_MS });
  const ca = [...tls.rootCertificates, ...network.extraCa];
  const clientName = new URL(config.publicUrl).hostname;
  const posture = compliance.recipientProbe
    ? probingPosture(services, {
        dns,
        smtpPort: network.smtpPort,
        httpsPort: network.httpsPort,
        ca,
        clientName,
        timeoutMs: PROBE_TIMEOUT_MS,
        maxMx: MAX_MX,
      })
    : relayPosture();
  if (compliance.deliveryMode === 'direct') {
    const transport = directTransport({
      db: services.pool,
      dns,
      smtpPort: network.smtpPort,
      ca,
      clientName,
      maxMx: MAX_MX,
    });
    return { transport, posture, dns };
  }
  if (services.smtp === undefined) {
    throw new AppError(
      'config_invalid',
      'Relay mode needs SMTP_URL; set it, or PATHWELL_DELIVERY_MODE=direct to deliver to recipient MXes.',
    );
  }
  return { transport: relayTransport(services.smtp), posture, dns };
}
