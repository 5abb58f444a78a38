import type { ActivityDeps } from '../../activities/activity-deps.js';
import { type PostureSource, relayPosture } from '../../activities/posture/posture-source.js';
import type { SmtpPeer } from '../../activities/smtp/smtp-delivery.js';
import type { Config } from '../config/config.js';
import { loadDkimKey } from '../config/dkim-key.js';
import { configKeyProvider } from '../crypto/key-provider.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log/logger.js';

/**
 * The activities' dependencies from the configuration: the worker and the test harness build
 * them the same way, so a setting cannot mean one thing in tests and another in production.
 *
 * @param overrides.posture - where recipient postures come from (default: the relay's)
 */
export function activityDepsOf(
  config: Config,
  services: { pool: Pool; keyring: Keyring; smtp: SmtpPeer; log: Logger },
  overrides: { posture?: PostureSource } = {},
): ActivityDeps {
  const dkim = loadDkimKey({
    keyFile: config.compliance.dkimKeyFile,
    domain: config.compliance.dkimDomain,
    selector: config.compliance.dkimSelector,
    dataDir: config.dataDir,
    mode: config.mode,
  });
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
    posture: overrides.posture ?? relayPosture(),
  };
}
