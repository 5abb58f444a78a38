import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';

const FILE = 'embedded-database-url';

/**
 * Where `pathwell start` leaves the address of its embedded database while it runs, so the
 * CLI's database commands (`sources`, `users`, `audit`) reach it without a DATABASE_URL. The
 * address holds no password (the embedded database listens on 127.0.0.1 only).
 */
export function embeddedDatabaseUrlFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

/**
 * The database a CLI command works on: `DATABASE_URL`, else in development mode the embedded
 * database of a `pathwell start` running on the same data folder.
 *
 * @param purpose - what the database is for, in the sentence shown when there is none
 * @throws AppError `config_invalid` when neither is there
 */
export function cliDatabaseUrl(config: Config, purpose: string): string {
  if (config.databaseUrl !== undefined) {
    return config.databaseUrl;
  }
  const file = embeddedDatabaseUrlFile(config.dataDir);
  if (config.mode === 'development' && fs.existsSync(file)) {
    return fs.readFileSync(file, 'utf8').trim();
  }
  throw new AppError(
    'config_invalid',
    `Set DATABASE_URL to the database ${purpose}, or run this beside a running "pathwell start" ` +
      `(development mode, same PATHWELL_DATA_DIR: ${config.dataDir}).`,
  );
}
