import type { Config } from '../config/config.js';
import type { Keyring } from '../crypto/keyring.js';
import { createApiToken, hasApiTokenNamed } from '../db/api-tokens.store.js';
import { appendAudit } from '../db/audit.store.js';
import type { Pool } from '../db/pool.js';
import { countUsers, createUser } from '../db/users.store.js';
import type { Logger } from '../log/logger.js';
import { hashPassword } from './passwords.js';

/** The name the `PATHWELL_BOOTSTRAP_TOKEN` token is registered under. */
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

/** The first administrator's email in development when none is configured. */
export const DEV_ADMIN_EMAIL = 'admin@pathwell.localhost';

const BOOTSTRAP_TOKEN_DAYS = 365;
const ACTOR = { actorId: 'service:bootstrap', actorType: 'service' } as const;

/**
 * Makes the first credentials on start, so that there are never default ones:
 * - `PATHWELL_BOOTSTRAP_TOKEN`: an admin-scoped API token with that value, registered once (a
 *   revoked one is not brought back by a restart);
 * - no user yet and `PATHWELL_ADMIN_EMAIL`/`PASSWORD`: that administrator;
 * - no user yet in development: an administrator `admin@pathwell.localhost` whose one-time
 *   setup link is printed (returned) once.
 *
 * @returns the setup link to print, when one was made
 */
export async function bootstrapAccess(deps: {
  config: Config;
  pool: Pool;
  keyring: Keyring;
  log: Logger;
}): Promise<string | undefined> {
  const { config, pool, keyring, log } = deps;
  const { bootstrapToken, adminEmail, adminPassword } = config.access;
  if (bootstrapToken !== undefined && !(await hasApiTokenNamed(pool, BOOTSTRAP_TOKEN_NAME))) {
    const { id } = await createApiToken(pool, keyring, {
      name: BOOTSTRAP_TOKEN_NAME,
      scopes: ['admin'],
      createdBy: ACTOR.actorId,
      expiresAt: new Date(Date.now() + BOOTSTRAP_TOKEN_DAYS * 86_400_000),
      token: bootstrapToken,
    });
    await appendAudit(pool, { ...ACTOR, action: 'api_token.issued', details: { tokenId: id } });
    log.info({ tokenId: id }, 'Bootstrap API token registered');
  }
  if ((await countUsers(pool)) > 0) {
    return undefined;
  }
  if (adminEmail !== undefined && adminPassword !== undefined) {
    const passwordHash = await hashPassword(adminPassword);
    const { id } = await createUser(pool, keyring, {
      email: adminEmail,
      roles: ['admin'],
      passwordHash,
    });
    await appendAudit(pool, {
      ...ACTOR,
      action: 'user.created',
      details: { userId: id, roles: ['admin'] },
    });
    log.info({ userId: id }, 'First administrator created');
    return undefined;
  }
  if (config.mode !== 'development') {
    log.warn(
      {},
      'No user exists; create the first administrator with "pathwell users create --admin"',
    );
    return undefined;
  }
  const { id, setupToken } = await createUser(pool, keyring, {
    email: DEV_ADMIN_EMAIL,
    roles: ['admin'],
  });
  await appendAudit(pool, {
    ...ACTOR,
    action: 'user.created',
    details: { userId: id, roles: ['admin'] },
  });
  return `${config.publicUrl}/setup/${setupToken ?? ''}`;
}
