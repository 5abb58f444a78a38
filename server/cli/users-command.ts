import type { Command } from 'commander';
import { AppError } from '../../engine/errors/app-error.js';
import { isRole, type Role, ROLES } from '../auth/roles.js';
import { loadConfig } from '../config/config.js';
import { loadKeyring } from '../crypto/keyring.js';
import { appendAudit } from '../db/audit.store.js';
import { migrateUp } from '../db/migrate.js';
import { createPool } from '../db/pool.js';
import { createLogger } from '../log/logger.js';
import { createUser, listUsers } from '../db/users.store.js';
import { setupLinkOf } from '../http/routes/users.route.js';
import { cliDatabaseUrl } from './database-url.js';

/** Options of `pathwell users create`. */
interface CreateOptions {
  admin?: boolean;
  role?: string[];
}

/**
 * `pathwell users …`: makes users from the server's machine, the first administrator above
 * all. A new user gets a one-time setup link (24 hours) to choose a password; there are no
 * default credentials.
 */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('Create and list the people who sign in');

  users
    .command('create <email>')
    .description('Create a user and print their one-time setup link')
    .option('--admin', 'with the admin role')
    .option('--role <role...>', `roles: ${ROLES.join(', ')}`)
    .action(async (email: string, options: CreateOptions) => {
      const roles = rolesOf(options);
      const config = loadConfig();
      const databaseUrl = cliDatabaseUrl(config, 'of the server');
      // The first administrator may be made before the server first starts.
      await migrateUp(databaseUrl, createLogger({ name: 'users', level: config.logLevel }));
      const pool = createPool(databaseUrl, 1);
      try {
        const created = await createUser(pool, loadKeyring(config), { email, roles });
        await appendAudit(pool, {
          actorId: 'service:cli',
          actorType: 'service',
          action: 'user.created',
          details: { userId: created.id, roles },
        });
        const link = setupLinkOf(config.publicUrl, created.setupToken ?? '');
        process.stdout.write(
          `Created user ${created.id} (${roles.join(', ')}).\nOne-time setup link (24 hours): ${link}\n`,
        );
      } finally {
        await pool.end();
      }
    });

  users
    .command('list')
    .description('List users and their roles')
    .action(async () => {
      const config = loadConfig();
      const pool = createPool(cliDatabaseUrl(config, 'of the server'), 1);
      try {
        for (const user of await listUsers(pool, loadKeyring(config))) {
          process.stdout.write(`${user.id}\t${user.email}\t${user.roles.join(',')}\n`);
        }
      } finally {
        await pool.end();
      }
    });
}

function rolesOf(options: CreateOptions): Role[] {
  const named = options.role ?? [];
  const unknown = named.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    throw new AppError(
      'request_invalid',
      `Unknown roles ${unknown.join(', ')}; use ${ROLES.join(', ')}.`,
    );
  }
  const roles = [...new Set([...(options.admin === true ? ['admin'] : []), ...named])].filter(
    isRole,
  );
  if (roles.length === 0) {
    throw new AppError('request_invalid', 'Give the user --admin or at least one --role.');
  }
  return roles;
}
