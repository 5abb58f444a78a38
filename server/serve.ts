import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../engine/errors/app-error.js';
import type { Config } from './config/config.js';
import { loadKeyring } from './crypto/keyring.js';
import { migrateUp } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { initApp, shutdownApp } from './http/app.js';
import { startDispatcherLoop } from './ingest/dispatcher-loop.js';
import type { Logger } from './log/logger.js';
import { connectTemporal } from './temporal/temporal-client.js';
import { loadDkimKey } from './config/dkim-key.js';
import { type ServerMailer, serverMailer } from './mail/server-mailer.js';
import { recipientsOf } from './worker/activity-deps-of.js';
import { smtpPeerFor } from './worker/journey-worker.js';

/** A running API server, and how to stop it. */
export interface RunningServer {
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts the API server: the HTTP routes, the builder UI and the inbox dispatcher loop. Needs
 * `DATABASE_URL` and `TEMPORAL_ADDRESS` (the start command sets them for its embedded services).
 */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  if (config.databaseUrl === undefined || config.temporalAddress === undefined) {
    throw new AppError(
      'config_invalid',
      'The server needs DATABASE_URL and TEMPORAL_ADDRESS; "pathwell start" sets them for its embedded services.',
    );
  }
  const keyring = loadKeyring(config);
  // Every server applies pending migrations under node-pg-migrate's lock before it serves.
  await migrateUp(config.databaseUrl, log);
  const pool = createPool(config.databaseUrl);
  const temporal = await connectTemporal(
    {
      address: config.temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
    },
    keyring,
  );
  const deps = { config, pool, keyring, temporal, log, ...mailerOf(config, pool, log) };
  const app = initApp(deps);
  const loop = startDispatcherLoop({ ...deps, orgTimeZone: config.orgTimeZone }, log);

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, () => resolve(listening));
    listening.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'Server up');
  return {
    port,
    stop: async () => {
      await loop.stop();
      await shutdownApp(server);
      await temporal.connection.close();
      await pool.end();
    },
  };
}

// The server sends portal one-time codes and address verifications itself, over the same
// transport as the worker (the relay, or direct delivery to recipient MXes).
function mailerOf(config: Config, pool: Pool, log: Logger): { mailer?: ServerMailer } {
  if (config.compliance.deliveryMode === 'relay' && config.smtp === undefined) {
    return {};
  }
  const dkim = loadDkimKey({
    keyFile: config.compliance.dkimKeyFile,
    domain: config.compliance.dkimDomain,
    selector: config.compliance.dkimSelector,
    dataDir: config.dataDir,
    mode: config.mode,
  });
  const smtp = config.smtp === undefined ? undefined : smtpPeerFor(config);
  const { transport } = recipientsOf(config, { pool, smtp, log });
  return { mailer: serverMailer({ transport, from: config.from, dkim }) };
}
