import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/create-activities.js';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { JourneyVersion } from '../../server/db/journeys.store.js';
import { recordRunStarted } from '../../server/db/runs.store.js';
import { EncryptionCodec } from '../../server/temporal/payload-codec.js';
import { FAILURE_CONVERTER_PATH } from '../../server/temporal/temporal-client.js';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { addPatient, admitAppointment } from '../support/direct-runs.js';
import { type Harness, startHarness } from '../support/harness.js';
import { printFigures, summarise } from './print.js';

const RUNS_PER_BATCH = 25;
const PAIRS = 8;
// Every run of a batch waits until this long after the batch starts, then sends: long enough
// for all its runs to reach the wait first, so both workflows sleep on a timer.
const WAIT_MS = 3_000;
// Time to write a batch's events to the inbox before it starts.
const SETUP_MS = 1_500;

// The journey the hand-written workflow mirrors, step for step (the same step ids).
const benchJourney = journey(
  'Benchmark reminder',
  [
    node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
    node('has-email', 'condition', {
      rules: { combinator: 'all', rules: [{ field: 'patient.email', op: 'exists' }] },
    }),
    node('wait', 'wait.until', {
      anchor: 'appointment.start',
      offset: { amount: 0, unit: 'minutes', direction: 'before' },
      ifPassed: 'continue',
    }),
    node('send', 'send.email', plainEmail('Benchmark reminder')),
    node('done', 'exit', { outcome: 'completed' }),
    node('skipped', 'exit', { outcome: 'skipped' }),
  ],
  edges(
    ['booked', 'out', 'has-email'],
    ['has-email', 'yes', 'wait'],
    ['has-email', 'no', 'skipped'],
    ['wait', 'out', 'send'],
    ['send', 'out', 'done'],
  ),
);

type Kind = 'journeyRun' | 'handWrittenRun';

describe('interpreter overhead', () => {
  let harness: Harness;
  let worker: Worker;
  let running: Promise<void>;
  let connection: NativeConnection;
  let version: JourneyVersion;
  let patientId: string;

  beforeAll(async () => {
    harness = await startHarness({ withWorker: false });
    version = await harness.publish(benchJourney);
    patientId = (await addPatient(harness)).id;
    const bundle = await bundleWorkflowCode({
      workflowsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-workflows.ts'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop },
    });
    connection = await NativeConnection.connect({ address: harness.config.temporalAddress ?? '' });
    worker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue: harness.config.taskQueue,
      workflowBundle: bundle,
      activities: createActivities(harness.activityDeps),
      dataConverter: {
        payloadCodecs: [new EncryptionCodec(harness.keyring)],
        failureConverterPath: FAILURE_CONVERTER_PATH,
      },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await harness?.close();
  });

  async function batch(kind: Kind, label: string): Promise<{ perSecond: number; events: number }> {
    const anchor = new Date(Date.now() + WAIT_MS + SETUP_MS);
    const events: CareEvent[] = [];
    for (let index = 0; index < RUNS_PER_BATCH; index += 1) {
      events.push(await admitAppointment(harness, patientId, anchor));
    }
    // Every batch starts exactly WAIT_MS before its anchor, so the wait in it is the same.
    await new Promise((resolve) => setTimeout(resolve, anchor.getTime() - WAIT_MS - Date.now()));

    // Throughput counts from the first start to the last completion.
    const started = performance.now();
    const ids = await Promise.all(
      events.map((event, index) => start(kind, `${label}-${index}`, event)),
    );
    const results = await Promise.all(
      ids.map((id) => harness.temporal.client.workflow.getHandle(id).result()),
    );
    const elapsed = (performance.now() - started) / 1_000;

    expect(results.every((result) => (result as { outcome: string }).outcome === 'completed')).toBe(
      true,
    );
    const lengths: number[] = [];
    for (const id of ids) {
      const history = await harness.temporal.client.workflow.getHandle(id).fetchHistory();
      lengths.push(history.events?.length ?? 0);
    }
    return { perSecond: RUNS_PER_BATCH / elapsed, events: summarise(lengths).median };
  }

  async function start(kind: Kind, workflowId: string, event: CareEvent): Promise<string> {
    await recordRunStarted(harness.pool, {
      workflowId,
      journeyId: version.journeyId,
      versionId: version.id,
      eventId: event.id,
      patientId,
    });
    await harness.temporal.client.workflow.start(kind, {
      workflowId,
      taskQueue: harness.config.taskQueue,
      args: [
        {
          input: {
            journeyId: version.journeyId,
            versionId: version.id,
            planHash: version.planHash,
            plan: version.plan,
            event,
            orgTimeZone: harness.config.orgTimeZone,
          },
        },
      ],
    });
    return workflowId;
  }

  it(`runs ${PAIRS} alternating pairs of ${RUNS_PER_BATCH} runs and prints the throughput ratio`, async () => {
    await batch('journeyRun', 'warm-ours');
    await batch('handWrittenRun', 'warm-hand');

    const ratios: number[] = [];
    const ours: number[] = [];
    const hand: number[] = [];
    const eventsOurs: number[] = [];
    const eventsHand: number[] = [];
    for (let pair = 0; pair < PAIRS; pair += 1) {
      // Alternate which goes first, so a drift in the machine's load favours neither.
      const order: Kind[] =
        pair % 2 === 0 ? ['journeyRun', 'handWrittenRun'] : ['handWrittenRun', 'journeyRun'];
      const figures: Partial<Record<Kind, { perSecond: number; events: number }>> = {};
      for (const kind of order) {
        figures[kind] = await batch(kind, `${kind}-${pair}`);
      }
      const o = figures.journeyRun as { perSecond: number; events: number };
      const h = figures.handWrittenRun as { perSecond: number; events: number };
      ours.push(o.perSecond);
      hand.push(h.perSecond);
      ratios.push(o.perSecond / h.perSecond);
      eventsOurs.push(o.events);
      eventsHand.push(h.events);
    }

    printFigures('interpreter workflow, runs/s', summarise(ours));
    printFigures('hand-written workflow, runs/s', summarise(hand));
    printFigures('throughput ratio ours/hand-written', summarise(ratios), 'target: median >= 0.95');
    printFigures('history events per run, interpreter', summarise(eventsOurs));
    printFigures('history events per run, hand-written', summarise(eventsHand), 'target: equal');
    process.stdout.write(
      `ratios per pair: ${ratios.map((ratio) => ratio.toFixed(3)).join(', ')}\n`,
    );
  });
});

function noop(): void {}
