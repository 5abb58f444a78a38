import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/create-activities.js';
import { createScheduleActivities } from '../../activities/schedule/create-schedule-activities.js';
import { type SmtpPeer, transportSettingsFor } from '../../activities/smtp/smtp-delivery.js';
import { assertSecureTransport } from '../../activities/smtp/transport-policy.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';
import { loadKeyring } from '../crypto/keyring.js';
import { createPool } from '../db/pool.js';
import type { Logger } from '../log/logger.js';
import { EncryptionCodec } from '../temporal/payload-codec.js';
import { connectTemporal, FAILURE_CONVERTER_PATH } from '../temporal/temporal-client.js';
import { temporalLogger } from './temporal-logger.js';
import { workflowBundle } from './workflow-bundle.js';

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
  if (
    config.databaseUrl === undefined ||
    config.temporalAddress === undefined ||
    config.smtp === undefined
  ) {
    throw new AppError(
      'config_invalid',
      'The worker needs DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL; "pathwell start" sets them for its embedded services.',
    );
  }
  if (!isRuntimeInstalled) {
    Runtime.install({ logger: temporalLogger(log) });
    isRuntimeInstalled = true;
  }
  const keyring = loadKeyring(config);
  const pool = createPool(config.databaseUrl);
  const smtp: SmtpPeer = {
    ...config.smtp,
    ca: config.smtpCaFile === undefined ? undefined : fs.readFileSync(config.smtpCaFile),
    clientName: new URL(config.publicUrl).hostname,
  };
  assertSecureTransport(transportSettingsFor(smtp));
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
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowBundle: await workflowBundle(path.join(config.dataDir, 'cache')),
    activities: {
      ...createActivities({
        pool,
        keyring,
        smtp,
        log,
        settings: {
          from: config.from,
          orgName: config.orgName,
          orgTimeZone: config.orgTimeZone,
          publicUrl: config.publicUrl,
        },
      }),
      ...createScheduleActivities({
        pool,
        keyring,
        temporal,
        log,
        orgTimeZone: config.orgTimeZone,
      }),
    },
    dataConverter: {
      payloadCodecs: [new EncryptionCodec(keyring)],
      failureConverterPath: FAILURE_CONVERTER_PATH,
    },
    shutdownGraceTime: '10 seconds',
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
