import type { ComplianceConfig } from '../server/config/config.js';
import type { KeyProvider } from '../server/crypto/key-provider.js';
import type { Keyring } from '../server/crypto/keyring.js';
import type { Pool } from '../server/db/pool.js';
import type { Logger } from '../server/log/logger.js';
import type { PostureSource } from './posture/posture-source.js';
import type { DkimKey } from './send/dkim-sign.js';
import type { MailTransport } from './smtp/mail-transport.js';
import type { SmtpPeer } from './smtp/smtp-delivery.js';

/** What activities need from the process that runs them. Tests build the same object. */
export interface ActivityDeps {
  pool: Pool;
  keyring: Keyring;
  /** The relay, in relay mode (the transport already wraps it). */
  smtp?: SmtpPeer | undefined;
  /** Relay or direct delivery (`PATHWELL_DELIVERY_MODE`). */
  transport: MailTransport;
  log: Logger;
  settings: {
    from: { address: string; name: string };
    orgName: string;
    orgTimeZone: string;
    publicUrl: string;
  };
  // Compliance core.
  compliance: ComplianceConfig;
  keyProvider: KeyProvider;
  dkim: DkimKey;
  posture: PostureSource;
}
