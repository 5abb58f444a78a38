import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { AppError } from '../../engine/errors/app-error.js';
import { type Config, loadConfig } from '../config/config.js';
import { loadKeyring } from '../crypto/keyring.js';
import { migrateUp } from '../db/migrate.js';
import { ensureDevCertificates } from '../embedded/dev-ca.js';
import { DevOutbox } from '../embedded/dev-outbox.js';
import { startEmbeddedPostgres } from '../embedded/embedded-postgres.js';
import { startSmtpSink } from '../embedded/smtp-sink.js';
import { locateTemporalCli } from '../embedded/temporal-cli.js';
import { startTemporalDevServer, stopChild } from '../embedded/temporal-dev-server.js';
import { createLogger, type Logger } from '../log/logger.js';
import { publishDemoJourneyIfEmpty } from './demo-seed.js';
import { embeddedDatabaseUrlFile } from './database-url.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/pathwell.js');

/** Set once stopping begins, so children exiting on request are not taken for crashes. */
let isStopping = false;

/** What `start` owns and must stop, last started first stopped. */
type Stopper = () => Promise<void>;

/**
 * `pathwell start`: in development, the embedded PostgreSQL, SMTP sink and Temporal dev server
 * (each only where its variable is unset), migrations, the demo journey, then the server and
 * the worker as separate processes. Ctrl-C or SIGTERM stops all of it.
 */
export async function runStart(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger({ name: 'start', level: config.logLevel });
  const stoppers: Stopper[] = [];
  const stopAll = async () => {
    isStopping = true;
    for (const stop of stoppers.reverse()) {
      await stop().catch((error: unknown) =>
        log.warn({ errorClass: (error as Error).name }, 'A service did not stop cleanly'),
      );
    }
  };

  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    loadKeyring(config);
    const childEnv = await startEmbeddedServices(config, env, log, stoppers);
    await launchProcesses(config, childEnv, log, stoppers);
  } catch (error) {
    await stopAll();
    throw error;
  }

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log.info('Stopping');
  await stopAll();
}

async function startEmbeddedServices(
  config: Config,
  env: NodeJS.ProcessEnv,
  log: Logger,
  stoppers: Stopper[],
): Promise<NodeJS.ProcessEnv> {
  const childEnv: NodeJS.ProcessEnv = { ...env, PATHWELL_DATA_DIR: config.dataDir };
  const isDevelopment = config.mode === 'development';

  let databaseUrl = config.databaseUrl;
  if (databaseUrl === undefined && isDevelopment) {
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'pglite'),
      port: await getPort(),
    });
    stoppers.push(embedded.stop);
    databaseUrl = embedded.url;
    // For the CLI's database commands (pathwell sources, users, audit) while this runs.
    const urlFile = embeddedDatabaseUrlFile(config.dataDir);
    fs.writeFileSync(urlFile, `${embedded.url}\n`);
    stoppers.push(async () => fs.rmSync(urlFile, { force: true }));
    log.info('Embedded PostgreSQL (PGlite) up');
  }
  childEnv.DATABASE_URL = databaseUrl;
  await migrateUp(databaseUrl as string, log);
  if (isDevelopment) {
    await publishDemoJourneyIfEmpty(databaseUrl as string, log);
  }

  if (config.smtp === undefined && isDevelopment) {
    const certificates = await ensureDevCertificates(path.join(config.dataDir, 'tls'));
    const sink = await startSmtpSink({
      port: await getPort(),
      certificates,
      outbox: new DevOutbox(config.dataDir),
    });
    stoppers.push(sink.close);
    // "localhost", not 127.0.0.1, so the certificate's DNS name is what gets verified.
    childEnv.SMTP_URL = `smtp://localhost:${sink.port}`;
    childEnv.SMTP_CA_FILE = certificates.caFile;
    log.info({ port: sink.port }, 'Development SMTP sink up (STARTTLS, development CA)');
  }

  if (config.temporalAddress === undefined && isDevelopment) {
    const cli = await locateTemporalCli((message) => process.stdout.write(`${message}\n`));
    const temporal = await startTemporalDevServer({
      cli,
      port: config.temporalPort,
      uiPort: config.temporalUiPort,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      namespace: config.temporalNamespace,
      logFile: path.join(config.dataDir, 'temporal.log'),
    });
    stoppers.push(temporal.stop);
    childEnv.TEMPORAL_ADDRESS = temporal.address;
    log.info(
      { address: temporal.address, uiPort: config.temporalUiPort },
      'Temporal dev server up',
    );
  }
  return childEnv;
}

async function launchProcesses(
  config: Config,
  childEnv: NodeJS.ProcessEnv,
  log: Logger,
  stoppers: Stopper[],
): Promise<void> {
  const worker = superviseWorker(childEnv, log);
  stoppers.push(worker.stop);
  const server = spawnRole('server', childEnv);
  stoppers.push(() => stopChild(server));
  server.once('exit', (code, signal) => {
    if (!isStopping) {
      log.error({ code, signal }, 'The server process exited; stopping');
      process.kill(process.pid, 'SIGTERM');
    }
  });

  await waitForHttp(`http://127.0.0.1:${config.port}/healthz`, server);
  const ui =
    config.temporalAddress === undefined
      ? `, Temporal UI http://localhost:${config.temporalUiPort}`
      : '';
  process.stdout.write(
    `Pathwell is ready at http://localhost:${config.port}${ui} (Ctrl-C stops it)\n`,
  );
}

// The worker is restarted if it dies (it can also be killed on purpose to test durability):
// Temporal hands its tasks to the new one and no run is lost.
function superviseWorker(childEnv: NodeJS.ProcessEnv, log: Logger): { stop: Stopper } {
  let child = spawnRole('worker', childEnv);
  const watch = (current: ChildProcess) => {
    current.once('exit', (code, signal) => {
      if (isStopping) {
        return;
      }
      log.warn({ code, signal }, 'The worker exited; starting a new one');
      setTimeout(() => {
        if (!isStopping) {
          child = spawnRole('worker', childEnv);
          watch(child);
        }
      }, 1_000);
    });
  };
  watch(child);
  return {
    stop: () => stopChild(child),
  };
}

function spawnRole(role: 'server' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  // An IPC channel lets the child notice when this process dies, even by SIGKILL, and stop.
  return spawn(process.execPath, [BIN, role], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new AppError(
        'dependency_unavailable',
        `The server exited with code ${child.exitCode} before it was ready; its log is above.`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new AppError(
    'dependency_unavailable',
    `The server did not answer ${url} within 2 minutes.`,
  );
}
