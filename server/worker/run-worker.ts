import { NativeConnection, Runtime } from '@temporalio/worker';
import { transportSettingsFor } from '../../activities/smtp/smtp-delivery.js';
import { assertSecureTransport } from '../../activities/smtp/transport-policy.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';
import { loadKeyring } from '../crypto/keyring.js';
import { createPool } from '../db/pool.js';
import type { Logger } from '../log/logger.js';
import { connectTemporal } from '../temporal/temporal-client.js';
import { activityDepsOf } from './activity-deps-of.js';
import { temporalLogger } from './temporal-logger.js';
import { createJourneyWorker, smtpPeerFor } from './journey-worker.js';

/** A running worker, and how to stop it. */
export interface RunningWorker {
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown: () => Promise<void>;
}

let isRuntimeInstalled = false;

/**
 * Starts a Temporal worker for journey runs: the workflow bundle plus the activities, with
 * every payload encrypted. Needs `DATABASE_URL`, `TEMPORAL_ADDRESS` and `SMTP_URL` set (the
 * start command sets them for its embedded services).
 */
export async function startWorker(config: Config, log: Logger): Promise<RunningWorker> {
  const isRelay = config.compliance.deliveryMode === 'relay';
  if (
    config.databaseUrl === undefined ||
    config.temporalAddress === undefined ||
    (isRelay && config.smtp === undefined)
  ) {
    throw new AppError(
      'config_invalid',
      'The worker needs DATABASE_URL, TEMPORAL_ADDRESS and (in relay mode) SMTP_URL; "pathwell start" sets them for its embedded services.',
    );
  }
  if (!isRuntimeInstalled) {
    Runtime.install({ logger: temporalLogger(log) });
    isRuntimeInstalled = true;
  }
  const keyring = loadKeyring(config);
  const pool = createPool(config.databaseUrl);
  const smtp = config.smtp === undefined ? undefined : smtpPeerFor(config);
  if (smtp !== undefined) {
    assertSecureTransport(transportSettingsFor(smtp));
  }
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // Schedule fan-out starts runs, so the worker holds a client as well as its worker connection.
  const temporal = await connectTemporal(
    {
      address: config.temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
    },
    keyring,
  );
  const worker = await createJourneyWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    dataDir: config.dataDir,
    activities: activityDepsOf(config, { pool, keyring, smtp, log }),
    schedule: { pool, keyring, temporal, log, orgTimeZone: config.orgTimeZone },
  });

  const done = worker.run().finally(async () => {
    await temporal.connection.close();
    await connection.close();
    await pool.end();
  });
  log.info({ taskQueue: config.taskQueue, namespace: config.temporalNamespace }, 'Worker up');
  return {
    done,
    shutdown: async () => {
      if (worker.getState() === 'RUNNING') {
        worker.shutdown();
      }
      await done;
    },
  };
}
