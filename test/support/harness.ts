import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type express from 'express';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/activity-deps.js';
import type { PostureSource } from '../../activities/posture/posture-source.js';
import type { JourneyDocument } from '../../engine/journey/journey.schema.js';
import { type Config, loadConfig } from '../../server/config/config.js';
import { Keyring } from '../../server/crypto/keyring.js';
import { createApiToken } from '../../server/db/api-tokens.store.js';
import {
  createJourney,
  type JourneyVersion,
  publishJourney,
} from '../../server/db/journeys.store.js';
import { createPool, type Pool } from '../../server/db/pool.js';
import { initApp } from '../../server/http/app.js';
import { serverMailer } from '../../server/mail/server-mailer.js';
import { createLogger, type Logger } from '../../server/log/logger.js';
import { dispatchQueueOf } from '../../server/ingest/dispatch-queue.js';
import type { ServerDeps } from '../../server/server-deps.js';
import { connectTemporal, type TemporalHandle } from '../../server/temporal/temporal-client.js';
import { activityDepsOf, type RecipientNetwork } from '../../server/worker/activity-deps-of.js';
import { createJourneyWorker, smtpPeerFor } from '../../server/worker/journey-worker.js';
import {
  startTestSmtpServer,
  type TestSmtpOptions,
  type TestSmtpServer,
} from './smtp-test-server.js';
import { withCredentials } from './with-credentials.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Temporal's runtime logs every worker state change at INFO; tests want warnings only. Installed
// once per test worker process, before any worker is created. Tests that read what the runtime
// logs (no PHI in logs) tap it with captureRuntimeLogs.
const runtimeTaps = new Set<(line: string) => void>();
Runtime.install({
  logger: new DefaultLogger('WARN', (entry) => {
    const line = JSON.stringify({ level: entry.level, message: entry.message, meta: entry.meta });
    for (const tap of runtimeTaps) {
      tap(line);
    }
    if (runtimeTaps.size === 0) {
      process.stderr.write(`${line}\n`);
    }
  }),
});

/** A log destination that collects each line Pathwell's logger writes into `lines`. */
export function linesInto(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
}

/** Collects what Temporal's runtime logs (WARN and above) until the returned stop is called. */
export function captureRuntimeLogs(lines: string[]): () => void {
  const tap = (line: string) => lines.push(line);
  runtimeTaps.add(tap);
  return () => runtimeTaps.delete(tap);
}

/** One test file's Pathwell: its own database, task queue, SMTP server, app and worker. */
export interface Harness {
  config: Config;
  pool: Pool;
  keyring: Keyring;
  masterKey: string;
  temporal: TemporalHandle;
  log: Logger;
  /**
   * The app as a caller with an admin API token sees it: requests without credentials get
   * {@link adminToken} (hooks excepted). See {@link withCredentials}.
   */
  app: express.Express;
  /** The real app, for tests of access control itself. */
  rawApp: express.Express;
  /** An admin-scoped API token of this harness's database. */
  adminToken: string;
  deps: ServerDeps;
  /** What the worker's activities run with (the DKIM key, the posture source, …). */
  activityDeps: ActivityDeps;
  smtp: TestSmtpServer;
  /** Starts an in-process worker (the default) unless one is running. */
  startWorker: () => Promise<void>;
  stopWorker: () => Promise<void>;
  /**
   * Starts `pathwell worker` as a child process, to be killed with real signals; `env`
   * overrides its settings (a DATABASE_URL through a proxy the test controls, say).
   */
  spawnWorkerProcess: (env?: Record<string, string>) => ChildProcess;
  publish: (document: JourneyDocument) => Promise<JourneyVersion>;
  close: () => Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  smtp?: Omit<TestSmtpOptions, 'tlsDir'> & { tlsDir?: string };
  /** Start an in-process worker now (default true). */
  withWorker?: boolean;
  env?: Record<string, string>;
  /** Recipient-domain postures, standing in for the DNS and MX probe (default: the relay's). */
  posture?: PostureSource;
  /** Base64 of the 32-byte master key; a fresh random one unless a test needs a fixed key. */
  masterKey?: string;
  /** Where recipient MXes and policy hosts listen (direct mode, the probe). */
  network?: RecipientNetwork;
  /** Where the server's and worker's log lines go, at which level (default: stdout, warn). */
  log?: { level: string; destination: DestinationStream };
  /** A Temporal server of the test's own (default: the global setup's dev server). */
  temporalAddress?: string;
}

/**
 * Builds a whole Pathwell for one test file on the real services of the global setup: a fresh
 * database copied from the migrated template, a task queue of its own, a real SMTP server on a
 * free port that Pathwell trusts through the test CA, the Express app and a Temporal worker.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const environment = inject('integration');
  const temporalAddress = options.temporalAddress ?? environment.temporalAddress;
  const suffix = randomBytes(4).toString('hex');
  const database = `${environment.templateDatabase.replace('_tpl_', '_t_')}_${suffix}`;
  const admin = new pg.Client({ connectionString: `${environment.postgresBaseUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database} TEMPLATE ${environment.templateDatabase}`);
  await admin.end();

  const smtp = await startTestSmtpServer({
    ...options.smtp,
    tlsDir: options.smtp?.tlsDir ?? environment.tlsDir,
  });
  const masterKey = options.masterKey ?? randomBytes(32).toString('base64');
  const env: Record<string, string> = {
    PATHWELL_MODE: 'development',
    PATHWELL_DATA_DIR: environment.dataDir,
    DATABASE_URL: `${environment.postgresBaseUrl}/${database}`,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `pathwell-test-${suffix}`,
    SMTP_URL: smtp.url,
    SMTP_CA_FILE: path.join(environment.tlsDir, 'ca.pem'),
    PATHWELL_MASTER_KEY: masterKey,
    PATHWELL_ORG_TIMEZONE: 'America/New_York',
    PATHWELL_LOG_LEVEL: 'warn',
    // The test SMTP server stands in for a BAA-covered relay that enforces TLS onwards, and the
    // global setup's DKIM key signs: so tests may also run in production mode.
    PATHWELL_RELAY_BAA: 'true',
    PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
    PATHWELL_DKIM_PRIVATE_KEY_FILE: path.join(environment.dataDir, 'dkim', 'pathwell.pem'),
    ...options.env,
  };
  const config = loadConfig(env);
  const log = createLogger({ name: 'test', level: 'warn', ...options.log });
  const keyring = new Keyring([Buffer.from(masterKey, 'base64')]);
  const pool = createPool(env.DATABASE_URL as string);
  const temporal = await connectTemporal(
    { address: temporalAddress, namespace: 'default', taskQueue: config.taskQueue },
    keyring,
  );
  const smtpPeer = smtpPeerFor(config);
  const activityDeps = activityDepsOf(
    config,
    { pool, keyring, smtp: smtpPeer, log },
    {
      ...(options.posture === undefined ? {} : { posture: options.posture }),
      ...(options.network === undefined ? {} : { network: options.network }),
    },
  );
  const mailer = serverMailer({
    transport: activityDeps.transport,
    from: config.from,
    dkim: activityDeps.dkim,
  });
  const deps: ServerDeps = { config, pool, keyring, temporal, log, mailer };
  const rawApp = initApp(deps);
  const { token: adminToken } = await createApiToken(pool, keyring, {
    name: 'test-harness',
    scopes: ['admin'],
    createdBy: 'service:test-harness',
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const app = withCredentials(rawApp, adminToken);

  let running: { worker: Worker; done: Promise<void>; connection: NativeConnection } | undefined;
  const children: ChildProcess[] = [];
  const startWorker = async () => {
    if (running !== undefined) {
      return;
    }
    const connection = await NativeConnection.connect({ address: temporalAddress });
    const worker = await createJourneyWorker({
      connection,
      namespace: 'default',
      taskQueue: config.taskQueue,
      dataDir: environment.dataDir,
      activities: activityDeps,
      schedule: { pool, keyring, temporal, log, orgTimeZone: config.orgTimeZone },
    });
    running = { worker, done: worker.run(), connection };
  };
  const stopWorker = async () => {
    if (running === undefined) {
      return;
    }
    const { worker, done, connection } = running;
    running = undefined;
    worker.shutdown();
    await done;
    await connection.close();
  };
  if (options.withWorker !== false) {
    await startWorker();
  }

  return {
    config,
    pool,
    keyring,
    masterKey,
    temporal,
    log,
    app,
    rawApp,
    adminToken,
    deps,
    activityDeps,
    smtp,
    startWorker,
    stopWorker,
    spawnWorkerProcess: (overrides = {}) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/pathwell.js'), 'worker'], {
        env: { ...process.env, ...env, ...overrides },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    publish: async (document) => {
      const journeyId = await createJourney(pool, document);
      return publishJourney(pool, journeyId, 'test');
    },
    close: async () => {
      for (const child of children) {
        child.kill('SIGKILL');
      }
      // Each step is time-boxed so a hang names its culprit instead of a bare hook timeout.
      await within('finishing queued dispatches', dispatchQueueOf(deps).drain());
      await within('stopping the worker', stopWorker());
      await within('closing the Temporal connection', temporal.connection.close());
      await within('ending the pool (a client was never released)', pool.end());
      await within('closing the SMTP servers', smtp.close());
      const cleanup = new pg.Client({
        connectionString: `${environment.postgresBaseUrl}/postgres`,
      });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function within(step: string, work: Promise<void>, ms = 60_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`harness close: ${step} took over ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
