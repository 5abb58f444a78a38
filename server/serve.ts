import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../engine/errors/app-error.js';
import type { Config } from './config/config.js';
import { loadKeyring } from './crypto/keyring.js';
import { migrateUp } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { bootstrapAccess } from './auth/bootstrap.js';
import { initApp, shutdownApp } from './http/app.js';
import { dispatchQueueOf } from './ingest/dispatch-queue.js';
import { startDispatcherLoop } from './ingest/dispatcher-loop.js';
import { syncAllSchedules } from './journeys/schedule-sync.js';
import type { Logger } from './log/logger.js';
import { type MllpListener, startMllpListener } from './mllp/mllp-listener.js';
import { resumeBulkReplays } from './runs/bulk-replay.js';
import { ensureSearchAttributes } from './temporal/search-attributes.js';
import { connectTemporal } from './temporal/temporal-client.js';
import { loadDkimKey } from './config/dkim-key.js';
import { type ServerMailer, serverMailer } from './mail/server-mailer.js';
import { recipientsOf } from './worker/activity-deps-of.js';
import { smtpPeerFor } from './worker/journey-worker.js';

/** A running API server, and how to stop it. */
export interface RunningServer {
  port: number;
  /** The MLLP listener's port, when it runs (`PATHWELL_MLLP_PORT`). */
  mllpPort: number | undefined;
  stop: () => Promise<void>;
}

/**
 * Starts the API server: the HTTP routes, the builder UI, the inbox dispatcher loop and the MLLP
 * listener (when `PATHWELL_MLLP_PORT` is set, or by default in development). Needs
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
  const registered = await ensureSearchAttributes(temporal.connection, config.temporalNamespace);
  if (registered.length > 0) {
    log.info({ registered }, 'Search attributes registered');
  }
  const deps = { config, pool, keyring, temporal, log, ...mailerOf(config, pool, log) };
  const setupLink = await bootstrapAccess(deps);
  if (setupLink !== undefined) {
    // The link is a credential: it goes to the terminal of whoever started Pathwell, never to
    // the log (which may be shipped elsewhere).
    process.stdout.write(
      `No administrator yet. Set the password of admin@pathwell.localhost (once, within 24 hours): ${setupLink}\n`,
    );
  }
  const app = initApp(deps);
  // A bulk replay whose server stopped goes on here.
  const resumed = await resumeBulkReplays({ ...deps, orgTimeZone: config.orgTimeZone }).catch(
    () => 0,
  );
  if (resumed > 0) {
    log.info({ resumed }, 'Bulk replays resumed');
  }
  const loop = startDispatcherLoop(deps, log);
  // A publish that could not reach Temporal left its schedule unstarted; starting makes it good.
  const schedules = await syncAllSchedules(deps).catch(() => 0);
  log.info({ schedules }, 'Schedules synced');

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, () => resolve(listening));
    listening.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'Server up');
  let mllp: MllpListener | undefined;
  try {
    mllp =
      config.mllpPort === undefined
        ? undefined
        : await startMllpListener(deps, { host: config.mllpHost, port: config.mllpPort });
  } catch (error) {
    await loop.stop();
    await shutdownApp(server);
    throw new AppError(
      'config_invalid',
      `The MLLP listener could not listen on ${config.mllpHost}:${config.mllpPort}; set PATHWELL_MLLP_PORT to a free port, or "off".`,
      { cause: error },
    );
  }
  return {
    port,
    mllpPort: mllp?.port,
    stop: async () => {
      await mllp?.stop();
      await loop.stop();
      await shutdownApp(server);
      // Events already answered are durable; finishing their dispatch saves the next start a
      // moment, and leaving it undone loses nothing (the inbox loop picks them up).
      await dispatchQueueOf(deps).drain();
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
