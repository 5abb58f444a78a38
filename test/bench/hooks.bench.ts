/**
 * `npm run bench:hooks`: webhook acknowledgement under a bounded loopback load.
 *
 * One Pathwell server (real PostgreSQL, its own Temporal dev server, an in-process worker, the
 * demo journey published) takes signed FHIR Bundles on `POST /api/hooks/fhir` at 50, 100 and
 * 200 requests a second, 20% of them redeliveries of bodies already sent: first from autocannon,
 * then evenly paced (hook-load.ts, in its own process, says how the two differ). A baseline
 * route in the same server does the same middleware (raw body, signature check, JSON parse),
 * one inbox write and one workflow start (a journey that exits at once), and is measured in the
 * same run. It prints p50/p99 latency and errors per rate, and checks that exactly one run
 * started per unique event. Not part of `npm test`; traffic goes to 127.0.0.1 only, for a
 * bounded time.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import express from 'express';
import getPort from 'get-port';
import pg from 'pg';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { JourneyDocument } from '../../engine/journey/journey.schema.js';
import { loadConfig } from '../../server/config/config.js';
import { Keyring } from '../../server/crypto/keyring.js';
import { admitEvent, markDispatched } from '../../server/db/inbox.store.js';
import { createJourney, publishJourney } from '../../server/db/journeys.store.js';
import { migrateUp } from '../../server/db/migrate.js';
import { upsertPatients } from '../../server/db/patients.store.js';
import { createPool } from '../../server/db/pool.js';
import { recordRunStarted } from '../../server/db/runs.store.js';
import { addSource } from '../../server/db/sources.store.js';
import { locateTemporalCli } from '../../server/embedded/temporal-cli.js';
import { startTemporalDevServer } from '../../server/embedded/temporal-dev-server.js';
import { initApp, WEBHOOK_BODY_LIMIT } from '../../server/http/app.js';
import { webhookAccess } from '../../server/http/webhook-access.js';
import { dispatchQueueOf } from '../../server/ingest/dispatch-queue.js';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { createLogger } from '../../server/log/logger.js';
import type { ServerDeps } from '../../server/server-deps.js';
import { connectTemporal } from '../../server/temporal/temporal-client.js';
import { activityDepsOf } from '../../server/worker/activity-deps-of.js';
import { createJourneyWorker } from '../../server/worker/journey-worker.js';
import { readCpu, spentBetween } from './cpu-account.js';
import { type Measured, type Result, report } from './hooks-report.js';
import type { LoadResult, LoadStep } from './hook-load.js';

const RATES = (process.env.BENCH_RATES ?? '50,100,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DUPLICATE_SHARE = 0.2;
const SECRET = randomBytes(24).toString('base64url');
const LOAD_SCRIPT = new URL('./hook-load.ts', import.meta.url).pathname;

// A journey that ends at once: the baseline's workflow start is the same RPC as a real one.
const EXIT_AT_ONCE: JourneyDocument = {
  schemaVersion: 1,
  name: 'Bench baseline',
  description: 'Ends at once: the baseline route starts it to time a workflow start.',
  nodes: [
    {
      id: 't',
      type: 'trigger.event',
      position: { x: 0, y: 0 },
      data: { eventType: 'bench.baseline' },
    },
    { id: 'x', type: 'exit', position: { x: 0, y: 100 }, data: { outcome: 'completed' } },
  ],
  edges: [{ id: 'e', source: 't', sourceHandle: 'out', target: 'x' }],
};

// autocannon's own shape first (the one the issue names), then the same rates evenly paced;
// hook-load.ts says how the two differ. BENCH_SHAPES picks one.
const SHAPES = (process.env.BENCH_SHAPES ?? 'autocannon,paced').split(',') as Array<
  LoadStep['shape']
>;

Runtime.install({ logger: new DefaultLogger('ERROR') });

const startLoad = os
  .loadavg()
  .map((value) => value.toFixed(1))
  .join(' ');

async function main(): Promise<void> {
  const log = createLogger({ name: 'bench', level: 'error' });
  const postgres = process.env.PATHWELL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const database = `pathwell_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${postgres}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-bench-'));
  const temporalServer = await startTemporalDevServer({
    cli: await locateTemporalCli((line) => process.stdout.write(`${line}\n`)),
    port: await getPort(),
    namespace: 'default',
    logFile: path.join(dataDir, 'temporal.log'),
  });
  temporalPid = temporalServer.child.pid;
  const masterKey = randomBytes(32).toString('base64');
  const config = loadConfig({
    PATHWELL_MODE: 'development',
    DATABASE_URL: `${postgres}/${database}`,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_TASK_QUEUE: 'pathwell-bench',
    PATHWELL_MASTER_KEY: masterKey,
    PATHWELL_DATA_DIR: dataDir,
    PATHWELL_LOG_LEVEL: 'error',
    PATHWELL_HOOK_RATE_LIMIT: '1000',
  });
  await migrateUp(config.databaseUrl as string, log);
  const keyring = new Keyring([Buffer.from(masterKey, 'base64')]);
  const pool = createPool(config.databaseUrl as string, 20);
  const temporal = await connectTemporal(
    { address: temporalServer.address, namespace: 'default', taskQueue: config.taskQueue },
    keyring,
  );
  const deps: ServerDeps = { config, pool, keyring, temporal, log };
  benchDeps = deps;
  await addSource(pool, keyring, {
    name: 'bench',
    kind: 'hmac',
    credential: SECRET,
    rateLimitPerSecond: 1000,
  });
  await publishJourney(pool, await createJourney(pool, DEMO_JOURNEY), 'bench');
  const baselineVersion = await publishJourney(
    pool,
    await createJourney(pool, EXIT_AT_ONCE),
    'bench',
  );
  const benchPatient = (
    await upsertPatients(pool, keyring, 'bench', [
      { sourceId: 'bench-patient', record: { sourceId: 'bench-patient', deceased: false } },
    ])
  ).get('bench-patient') as string;

  const connection = await NativeConnection.connect({ address: temporalServer.address });
  const smtpPeer = { host: 'localhost', port: 1, implicitTls: false, clientName: 'localhost' };
  const worker = await createJourneyWorker({
    connection,
    namespace: 'default',
    taskQueue: config.taskQueue,
    dataDir,
    activities: activityDepsOf(config, { pool, keyring, smtp: smtpPeer, log }),
    schedule: { pool, keyring, temporal: deps.temporal, log, orgTimeZone: config.orgTimeZone },
  });

  let baselineStarts = 0;
  const app = express();
  app.post(
    '/bench/baseline',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    (req, res, next) => {
      const handle = async () => {
        const raw = req.body as Buffer;
        const source = await webhookAccess(deps).authenticate(req, raw);
        const parsed = JSON.parse(raw.toString('utf8')) as { id: string };
        const event: CareEvent = {
          id: randomUUID(),
          type: 'bench.baseline',
          source,
          subject: { resourceType: 'Basic', id: parsed.id },
          patientId: benchPatient,
          occurredAt: new Date().toISOString(),
          data: {},
        };
        const admission = await admitEvent(pool, keyring, {
          event,
          idempotencyKey: `Basic/${parsed.id}`,
        });
        if (!admission.duplicate) {
          // What dispatch does for one journey: record the run, start it, mark the event done.
          const workflowId = `bench-${parsed.id}`;
          const { journeyId, id: versionId, planHash, plan } = baselineVersion;
          const patientId = benchPatient;
          await recordRunStarted(pool, {
            workflowId,
            journeyId,
            versionId,
            eventId: event.id,
            patientId,
          });
          const input = {
            journeyId,
            versionId,
            planHash,
            plan,
            event,
            orgTimeZone: config.orgTimeZone,
          };
          await temporal.client.workflow.start('journeyRun', {
            workflowId,
            taskQueue: config.taskQueue,
            args: [{ input }],
          });
          await markDispatched(pool, event.id, [
            { journeyId, versionId, workflowId, action: 'started' },
          ]);
          baselineStarts += 1;
        }
        res.status(admission.duplicate ? 200 : 202).json({ eventId: admission.id });
      };
      handle().catch(next);
    },
  );
  app.use(initApp(deps));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const results: Result[] = [];
  const warm = { rate: 50, seconds: 2, shape: 'autocannon' } as const;
  await load({ url: `${base}/bench/baseline`, body: 'baseline', ...warm });
  const warmHook = await load({ url: `${base}/api/hooks/fhir`, body: 'fhir', ...warm });
  for (const shape of SHAPES) {
    for (const rate of RATES) {
      const baseline = await load({
        url: `${base}/bench/baseline`,
        body: 'baseline',
        rate,
        shape,
        seconds: SECONDS,
      });
      const hook = await load({
        url: `${base}/api/hooks/fhir`,
        body: 'fhir',
        rate,
        shape,
        seconds: SECONDS,
      });
      results.push({ shape, rate, baseline, hook });
    }
  }

  // Every unique event is in the inbox before its answer; its run may start inline or from the
  // inbox loop right after, so give the loop a moment before counting. The worker runs only
  // now: on two shared cores, executing a thousand runs during the measurement would time the
  // worker, not the acknowledgement (a deployment runs workers in their own processes).
  await dispatchQueueOf(deps).drain();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const running = worker.run();
  const executions = await temporal.client.workflow
    .count("WorkflowType = 'journeyRun' AND WorkflowId STARTS_WITH 'run-'")
    .then((answer) => String(answer.count))
    .catch(() => 'n/a');
  // Each body is a new appointment, so a subject with two events, or an event with other than
  // one run, would be a redelivery that got through.
  const counts = await pool.query<{
    events: string;
    runs: string;
    pending: string;
    doubled: string;
    unrun: string;
  }>(
    `SELECT (SELECT count(*) FROM inbox_events WHERE type = 'appointment.booked') AS events,
            (SELECT count(*) FROM runs WHERE journey_id <> $1) AS runs,
            (SELECT count(*) FROM inbox_events WHERE dispatch_state = 'pending') AS pending,
            (SELECT count(*) FROM (SELECT subject_id FROM inbox_events
               WHERE type = 'appointment.booked' GROUP BY subject_id HAVING count(*) > 1) d)
             AS doubled,
            (SELECT count(*) FROM inbox_events e WHERE e.type = 'appointment.booked'
               AND (SELECT count(*) FROM runs r WHERE r.event_id = e.id) <> 1) AS unrun`,
    [baselineVersion.journeyId],
  );
  const uniqueAnswered =
    results.reduce((sum, result) => sum + result.hook.uniqueAnswered, 0) + warmHook.uniqueAnswered;
  report(
    results,
    { ...counts.rows[0], uniqueAnswered, baselineStarts, executions },
    {
      seconds: SECONDS,
      duplicateShare: DUPLICATE_SHARE,
      startLoad,
    },
  );

  server.close();
  worker.shutdown();
  await running;
  await connection.close();
  await temporal.connection.close();
  await pool.end();
  await temporalServer.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

let temporalPid: number | undefined;
let benchDeps: ServerDeps;

// The load generator runs in its own process: in this one it would take turns with the server
// on one event loop and its own work would show up as the server's latency.
async function load(asked: Omit<LoadStep, 'secret' | 'duplicateShare'>): Promise<Measured> {
  const { url, rate, shape } = asked;
  const step: LoadStep = { ...asked, secret: SECRET, duplicateShare: DUPLICATE_SHARE };
  const cpuBefore = readCpu(temporalPid);
  const wallBefore = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, JSON.stringify(step)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) {
    throw new Error(`The load generator exited with ${code}`);
  }
  const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as LoadResult;

  // Requests still in flight when the generator stops are served anyway, and the webhook's runs
  // start after its answers: let both finish, so no step pays for the one before it.
  await dispatchQueueOf(benchDeps).drain();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const cpu = {
    ...spentBetween(cpuBefore, readCpu(temporalPid)),
    generator: result.cpuSeconds,
    wallSeconds: (performance.now() - wallBefore) / 1000,
  };
  const route = new URL(url).pathname;
  process.stdout.write(
    `  ${shape} ${route} at ${rate}/s: ${result.redeliveries} answered as redeliveries\n`,
  );
  return {
    p50: result.p50,
    p99: result.p99,
    errors: result.errors,
    sent: result.sent,
    uniqueAnswered: result.answeredEventIds.length,
    cpu,
  };
}

await main();
process.exit(0);
