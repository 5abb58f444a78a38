import fs from 'node:fs';
import path from 'node:path';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/activity-deps.js';
import { createActivities } from '../../activities/create-activities.js';
import { createScheduleActivities } from '../../activities/schedule/create-schedule-activities.js';
import type { ScheduleActivityDeps } from '../../activities/schedule/fan-out-batch.js';
import type { SmtpPeer } from '../../activities/smtp/smtp-delivery.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';
import { EncryptionCodec } from '../temporal/payload-codec.js';
import { FAILURE_CONVERTER_PATH } from '../temporal/temporal-client.js';
import { workflowBundle } from './workflow-bundle.js';

/**
 * Errors that fail a run instead of its workflow task. Left to the default, a non-determinism
 * error (workflow code changed under a run in flight without `patched()`) or an AppError from
 * the interpreter would retry the task forever, and the run would look alive while nothing
 * moves. Failed, it is listed as failed and can be replayed.
 */
export const WORKFLOW_FAILURE_ERROR_TYPES = {
  '*': ['NondeterminismError', 'DeterminismViolationError', 'AppError'],
};

/** What a journey worker is made of. */
export interface JourneyWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The data folder; the workflow bundle is cached in its `cache` folder. */
  dataDir: string;
  activities: ActivityDeps;
  /** What schedule fan-out needs (it starts runs, so it holds a Temporal client). */
  schedule: ScheduleActivityDeps;
}

/**
 * A Temporal worker for journey runs: the bundled workflows, the activities, and the encrypting
 * codec with the failure converter, exactly as production runs it. The worker process and the
 * tests both build their workers here.
 */
export async function createJourneyWorker(options: JourneyWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(path.join(options.dataDir, 'cache')),
    activities: {
      ...createActivities(options.activities),
      ...createScheduleActivities(options.schedule),
    },
    dataConverter: {
      payloadCodecs: [new EncryptionCodec(options.activities.keyring)],
      failureConverterPath: FAILURE_CONVERTER_PATH,
    },
    shutdownGraceTime: '10 seconds',
    workflowFailureErrorTypes: WORKFLOW_FAILURE_ERROR_TYPES,
  });
}

/** The SMTP peer from `SMTP_URL` and `SMTP_CA_FILE`. */
export function smtpPeerFor(config: Config): SmtpPeer {
  if (config.smtp === undefined) {
    throw new AppError(
      'config_invalid',
      'SMTP_URL is not set; "pathwell start" sets it for its development sink.',
    );
  }
  return {
    ...config.smtp,
    ca: config.smtpCaFile === undefined ? undefined : fs.readFileSync(config.smtpCaFile),
    clientName: new URL(config.publicUrl).hostname,
  };
}
