import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../log/logger.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies every pending migration, in one transaction, under node-pg-migrate's advisory lock
 * (a second process starting at the same time waits rather than racing).
 *
 * @returns the names of the migrations applied
 */
export async function migrateUp(databaseUrl: string, log: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pathwell_migrations',
    singleTransaction: true,
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => log.warn({ detail: message }, 'Migration warning'),
      error: (message: string) => log.error({ detail: message }, 'Migration error'),
    },
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) {
    log.info({ migrations: names }, 'Migrations applied');
  }
  return names;
}
