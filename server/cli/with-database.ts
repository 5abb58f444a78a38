import { loadConfig } from '../config/config.js';
import { type Keyring, loadKeyring } from '../crypto/keyring.js';
import { createPool, type Pool } from '../db/pool.js';
import { cliDatabaseUrl } from './database-url.js';

/**
 * Runs a CLI command's `work` against its database (see {@link cliDatabaseUrl}) with the
 * configured keyring, and closes the pool after it, whatever happens.
 *
 * @param purpose - what the database is for, in the sentence shown when there is none
 * @param connections - pool size; CLI commands need one or two
 */
export async function withDatabase(
  purpose: string,
  connections: number,
  work: (pool: Pool, keyring: Keyring) => Promise<void>,
): Promise<void> {
  const config = loadConfig();
  const pool = createPool(cliDatabaseUrl(config, purpose), connections);
  try {
    await work(pool, loadKeyring(config));
  } finally {
    await pool.end();
  }
}
