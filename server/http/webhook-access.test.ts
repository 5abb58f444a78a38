import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { Keyring } from '../crypto/keyring.js';
import type { Pool } from '../db/pool.js';
import { LOCAL_SOURCE, webhookAccess } from './webhook-access.js';

// Unsigned requests never reach the database, so no pool is needed to decide them.
const NO_POOL = {} as Pool;
const keyring = new Keyring([Buffer.alloc(32, 3)]);
const unsigned = (remoteAddress: string) =>
  ({ socket: { remoteAddress }, get: () => undefined }) as unknown as Request;

describe('webhookAccess (unsigned requests)', () => {
  const development = webhookAccess({ pool: NO_POOL, keyring, config: loadConfig({}) });

  it('files unsigned development posts from this machine under the local source', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      await expect(development.authenticate(unsigned(address), Buffer.alloc(0))).resolves.toBe(
        LOCAL_SOURCE,
      );
    }
  });

  it('refuses unsigned posts from another machine, even in development', async () => {
    await expect(
      development.authenticate(unsigned('10.1.2.3'), Buffer.alloc(0)),
    ).rejects.toMatchObject({
      code: 'webhook_signature_required',
      status: 401,
    });
  });

  it('refuses unsigned posts in production, even from this machine', async () => {
    const production = loadConfig({
      PATHWELL_MODE: 'production',
      PATHWELL_PUBLIC_URL: 'https://pathwell.example.org',
      DATABASE_URL: 'postgres://db/p',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtps://relay:465',
      PATHWELL_MASTER_KEY: Buffer.alloc(32, 2).toString('base64'),
      PATHWELL_RELAY_BAA: 'true',
      PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
    });
    const access = webhookAccess({ pool: NO_POOL, keyring, config: production });

    await expect(access.authenticate(unsigned('127.0.0.1'), Buffer.alloc(0))).rejects.toMatchObject(
      {
        code: 'webhook_signature_required',
      },
    );
  });
});
