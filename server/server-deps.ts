import type { Config } from './config/config.js';
import type { Keyring } from './crypto/keyring.js';
import type { Pool } from './db/pool.js';
import type { Logger } from './log/logger.js';
import type { ServerMailer } from './mail/server-mailer.js';
import type { TemporalHandle } from './temporal/temporal-client.js';

/** What the API server's routes need. Tests build the same object against real services. */
export interface ServerDeps {
  config: Config;
  pool: Pool;
  keyring: Keyring;
  temporal: TemporalHandle;
  log: Logger;
  /** Sends portal one-time codes; absent, the portal cannot send codes (it says so). */
  mailer?: ServerMailer;
}
