import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateTemporalCli } from '../../server/embedded/temporal-cli.js';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../../server/embedded/temporal-dev-server.js';
import type { RunStatus } from '../../workflows/journey.workflow.js';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { addPatient, admitAppointment, startDirectRun } from '../support/direct-runs.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const RUNS = 10;
/**
 * The first run is due this long after the test starts them, the others 1 s apart: the
 * first few fall due while the server is down (their timers fire once it is back), the rest
 * after it is back (their timers survived in its data file).
 */
const FIRST_DUE_MS = 9_000;
const DUE_SPACING_MS = 1_000;
/** When the dev server is stopped, counted from the starts, and how long it stays down. */
const STOP_AT_MS = 5_000;
const DOWN_MS = 5_000;
/**
 * How late an email may arrive after its due instant. A run due while the server is down can
 * only fire once it is back: up to the stop (≤ 10 s: SIGTERM, then SIGKILL), the time down
 * (5 s) and the dev server's start (a few seconds on this shared machine), plus the worker's
 * reconnect backoff and the send itself. 30 s covers that with room; a run stuck on a lost
 * timer or a worker that never reconnects would miss it by far (or never arrive).
 */
const MAX_LATE_MS = 30_000;

// The appointment's start is the due instant: a wait.until with a zero offset. (wait.duration
// counts whole minutes, too long for a test that must stay under two minutes.)
const atStart = journey(
  'One note at the appointment start, across a Temporal restart',
  [
    node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
    node('wait', 'wait.until', {
      anchor: 'appointment.start',
      offset: { amount: 0, unit: 'minutes', direction: 'after' },
      ifPassed: 'continue',
    }),
    node('note', 'send.email', plainEmail('A note due after a Temporal restart')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['booked', 'out', 'wait'], ['wait', 'out', 'note'], ['note', 'out', 'done']),
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Its own dev server, on a SQLite file in a temp folder: the global one is shared by every test
// file and must never be stopped.
describe('runs waiting while the Temporal dev server restarts', () => {
  let folder: string;
  let cli: string;
  let port: number;
  let temporal: TemporalDevServer | undefined;
  let harness: Harness;

  const startServer = async () =>
    startTemporalDevServer({
      cli,
      port,
      namespace: 'default',
      dbFile: path.join(folder, 'temporal.db'),
      logFile: path.join(folder, 'temporal.log'),
    });

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-temporal-restart-'));
    cli = await locateTemporalCli();
    port = await getPort();
    // Search attributes are registered by the start flags, as in the global setup.
    temporal = await startServer();
    harness = await startHarness({ temporalAddress: temporal.address });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
    await temporal?.stop();
    if (folder !== undefined) {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('resumes every run on time: each email once, not early, at most 30 s late', async () => {
    const version = await harness.publish(atStart);
    const startedAt = Date.now();
    // Whole seconds: the appointment's start is written without milliseconds, so a due instant
    // with a fraction would be earlier than the test thinks.
    const base = Math.ceil((startedAt + FIRST_DUE_MS) / 1000) * 1000;
    const runs: Array<{ id: string; dueAt: number }> = [];
    for (let index = 0; index < RUNS; index += 1) {
      const dueAt = base + index * DUE_SPACING_MS;
      const patient = await addPatient(harness);
      const event = await admitAppointment(harness, patient.id, new Date(dueAt));
      runs.push({ id: await startDirectRun(harness, version, event), dueAt });
    }
    await expect
      .poll(() => waitingCount(harness, runs), { timeout: 30_000, interval: 200 })
      .toBe(RUNS);

    // When each message is first seen at the SMTP server (the recorder keeps no time): up to
    // 50 ms after it arrived, so an arrival less than 50 ms early would go unnoticed.
    const firstSeen = new Map<string, number>();
    const watch = setInterval(() => {
      for (const message of harness.smtp.messages) {
        if (message.messageId !== undefined && !firstSeen.has(message.messageId)) {
          firstSeen.set(message.messageId, Date.now());
        }
      }
    }, 50);

    await sleep(Math.max(0, startedAt + STOP_AT_MS - Date.now()));
    // The harness's one in-process worker is never restarted: the runs can only finish if its
    // connection to the server comes back by itself (it does, through the core's poll retries).
    const sentBeforeStop = harness.smtp.messages.length;
    const stoppedAt = Date.now();
    const server = temporal as TemporalDevServer;
    temporal = undefined;
    await server.stop();
    const stoppedBy = server.child.signalCode ?? `exit ${server.child.exitCode}`;
    await sleep(DOWN_MS);
    temporal = await startServer();
    const backAt = Date.now();

    const results = await Promise.all(runs.map((run) => runResult(harness, run.id)));
    // A copy sent late by a retry would arrive after the results; give it a moment to show.
    await sleep(2_000);
    clearInterval(watch);

    const ledger = await harness.pool.query<{ workflow_id: string; message_id: string }>(
      'SELECT workflow_id, message_id FROM deliveries WHERE workflow_id = ANY($1)',
      [runs.map((run) => run.id)],
    );
    const expected = new Map(ledger.rows.map((row) => [row.message_id, row.workflow_id]));
    const received = harness.smtp.messages
      .map((message) => message.messageId)
      .filter((id): id is string => id !== undefined && expected.has(id));
    const distinct = new Set(received);
    const dueOf = new Map(runs.map((run) => [run.id, run.dueAt]));
    const lateness = [...distinct].map((messageId) => {
      const due = dueOf.get(expected.get(messageId) as string) as number;
      return (firstSeen.get(messageId) as number) - due;
    });
    const early = lateness.filter((ms) => ms < 0).length;
    const late = lateness.filter((ms) => ms > MAX_LATE_MS).length;
    const dueWhileDown = runs.filter((run) => run.dueAt > stoppedAt && run.dueAt < backAt).length;
    const counts = [
      `runs=${RUNS}`,
      `expected=${expected.size}`,
      `received=${received.length}`,
      `duplicates=${received.length - distinct.size}`,
      `lost=${expected.size - distinct.size}`,
      `late=${late}`,
      `early=${early}`,
      `due-while-down=${dueWhileDown}`,
      `sent-before-stop=${sentBeforeStop}`,
      `stopped-by=${stoppedBy}`,
      `max-late-ms=${Math.max(...lateness)}`,
    ];
    process.stdout.write(`reliability temporal-restart: ${counts.join(' ')}\n`);

    // The restart fell inside the waits: nothing was due before the stop, some runs fell due
    // while the server was down and some after.
    expect(sentBeforeStop).toBe(0);
    expect(runs.every((run) => run.dueAt > stoppedAt)).toBe(true);
    expect(dueWhileDown).toBeGreaterThan(0);
    expect(dueWhileDown).toBeLessThan(RUNS);
    expect(results.every((result) => result.outcome === 'completed')).toBe(true);
    expect(expected.size).toBe(RUNS);
    expect(distinct.size).toBe(RUNS);
    expect(received.length).toBe(RUNS);
    expect(early).toBe(0);
    expect(late).toBe(0);
  }, 150_000);
});

async function waitingCount(h: Harness, runs: Array<{ id: string }>): Promise<number> {
  const statuses = await Promise.all(
    runs.map((run) => h.temporal.client.workflow.getHandle(run.id).query<RunStatus>('status')),
  );
  return statuses.filter((status) => status.waitingUntil !== null).length;
}
