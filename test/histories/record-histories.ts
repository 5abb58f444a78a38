import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyToFixture } from '../support/history-files.js';
import type { JourneyVersion } from '../../server/db/journeys.store.js';
import type { RunStatus } from '../../workflows/journey.workflow.js';
import { edges, everyStepJourney, journey, node, plainEmail } from '../fixtures/journeys.js';
import { addPatient, admitAppointment, startDirectRun } from '../support/direct-runs.js';
import { type Harness, startHarness } from '../support/harness.js';
import { HISTORY_FIXTURE_MASTER_KEY } from '../support/history-key.js';

// Records the workflow histories the replay test replays. Run with `npm run histories:record`
// after a deliberate change to what workflows do (and say why in the commit); the replay test
// then proves that the code replays both the histories of before and after.
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/histories');
const MINUTE = 60_000;

const waitFor = (eventType: string) =>
  journey(
    `Waits for ${eventType}`,
    [
      node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
      node('wait', 'wait.event', { eventType, timeout: { amount: 1, unit: 'minutes' } }),
      node('got-it', 'exit', { outcome: 'received' }),
      node('gave-up', 'exit', { outcome: 'timed_out' }),
    ],
    edges(
      ['booked', 'out', 'wait'],
      ['wait', 'received', 'got-it'],
      ['wait', 'timeout', 'gave-up'],
    ),
  );

const single = (type: 'wait.until' | 'wait.duration', data: unknown) =>
  journey(
    `Only ${type}`,
    [
      node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
      node('wait', type, data as never),
      node('done', 'exit', { outcome: 'completed' }),
    ],
    edges(['booked', 'out', 'wait'], ['wait', 'out', 'done']),
  );

const beforeStart = (ifPassed: 'continue' | 'exit') =>
  single('wait.until', {
    anchor: 'appointment.start',
    offset: { amount: 15, unit: 'minutes', direction: 'before' },
    ifPassed,
  });

describe('recording workflow histories', () => {
  let harness: Harness;
  let every: JourneyVersion;

  beforeAll(async () => {
    harness = await startHarness({ masterKey: HISTORY_FIXTURE_MASTER_KEY });
    every = await harness.publish(everyStepJourney());
    fs.mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function save(name: string, workflowId: string, description: string, runId?: string) {
    const handle = harness.temporal.client.workflow.getHandle(workflowId, runId);
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    const workflowType =
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
    const file = {
      name,
      description,
      workflowId,
      workflowType,
      recordedAt: new Date().toISOString(),
      history: historyToFixture(history),
    };
    fs.writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(file, null, 2)}\n`);
  }

  async function at(workflowId: string, stepId: string) {
    const handle = harness.temporal.client.workflow.getHandle(workflowId);
    await expect
      .poll(async () => (await handle.query<RunStatus>('status')).at, { timeout: 60_000 })
      .toBe(stepId);
    return handle;
  }

  // PATHWELL_HISTORIES=skeleton records, with the walking skeleton's journey workflow checked
  // out in place of today's, the runs in flight at the time this branch changed the workflow.
  const isSkeleton = process.env.PATHWELL_HISTORIES === 'skeleton';

  it.skipIf(!isSkeleton)(
    'records journey runs as the skeleton workflow code made them',
    async () => {
      await save(
        'skeleton-every-step-received',
        await everyStepReceived(),
        'skeleton code: every step kind, patientEvent',
      );
      await save(
        'skeleton-rescheduled-wait',
        await rescheduled(),
        'skeleton code: rescheduled signal',
      );
      await save('skeleton-cancelled', await cancelled(), 'skeleton code: cancelled signal');
      await save(
        'skeleton-no-email-branch',
        await noEmail(),
        'skeleton code: condition "no" branch',
      );
    },
  );

  it.skipIf(isSkeleton)(
    'records the slow waits (a wait.event timeout, a wait.duration) alongside the rest',
    async () => {
      const timeout = await harness.publish(waitFor('custom.reply'));
      const duration = await harness.publish(
        single('wait.duration', { duration: { amount: 1, unit: 'minutes' } }),
      );
      const patient = await addPatient(harness);
      const later = new Date(Date.now() + 60 * MINUTE);
      const timeoutId = await startDirectRun(
        harness,
        timeout,
        await admitAppointment(harness, patient.id, later),
      );
      const durationId = await startDirectRun(
        harness,
        duration,
        await admitAppointment(harness, patient.id, later),
      );

      await save(
        'every-step-received',
        await everyStepReceived(),
        'condition, split, wait.until, send.email, wait.event received via patientEvent, exit',
      );
      await save('no-email-branch', await noEmail(), 'condition "no" branch to an exit');
      await save(
        'rescheduled-wait',
        await rescheduled(),
        'wait.until recomputed by a rescheduled signal',
      );
      await save('cancelled', await cancelled(), 'a cancelled signal while waiting');
      await save(
        'anchor-passed-exit',
        await anchorPassed(),
        'wait.until whose instant has passed, ifPassed exit',
      );
      const chain = await continued();
      await save(
        'continued-as-new-first',
        chain.workflowId,
        'the first execution of a chain: ends in continue-as-new',
        chain.firstRunId,
      );
      await save(
        'continued-as-new-last',
        chain.workflowId,
        'the last execution of the chain: resumes and ends',
      );
      const schedule = await scheduleFiring();
      await save(
        'schedule-firing',
        schedule.workflowId,
        'a schedule firing: durable timer, paced fan-out batches, continue-as-new',
        schedule.firstRunId,
      );
      await save('wait-event-timeout', timeoutId, 'wait.event timeout outcome');
      await save('wait-duration', durationId, 'wait.duration elapsed');
    },
  );

  async function everyStepReceived(): Promise<string> {
    const patient = await addPatient(harness);
    const event = await admitAppointment(
      harness,
      patient.id,
      new Date(Date.now() + 15 * MINUTE + 3_000),
    );
    const workflowId = await startDirectRun(harness, every, event);
    const handle = await at(workflowId, 'confirm');
    const confirmation = await admitAppointment(harness, patient.id, new Date(), {
      type: 'appointment.confirmed',
      appointmentId: event.subject.id,
    });
    await handle.signal('patientEvent', confirmation);
    return workflowId;
  }

  async function noEmail(): Promise<string> {
    const patient = await addPatient(harness, { email: undefined });
    return startDirectRun(
      harness,
      every,
      await admitAppointment(harness, patient.id, new Date(Date.now() + 60 * MINUTE)),
    );
  }

  async function rescheduled(): Promise<string> {
    const version = await harness.publish(beforeStart('continue'));
    const patient = await addPatient(harness);
    const event = await admitAppointment(harness, patient.id, new Date(Date.now() + 120 * MINUTE));
    const workflowId = await startDirectRun(harness, version, event);
    const handle = await at(workflowId, 'wait');
    const moved = await admitAppointment(
      harness,
      patient.id,
      new Date(Date.now() + 15 * MINUTE + 2_000),
      {
        type: 'appointment.rescheduled',
        appointmentId: event.subject.id,
      },
    );
    await handle.signal('rescheduled', moved);
    return workflowId;
  }

  async function cancelled(): Promise<string> {
    const patient = await addPatient(harness);
    const workflowId = await startDirectRun(
      harness,
      every,
      await admitAppointment(harness, patient.id, new Date(Date.now() + 30 * MINUTE)),
    );
    const handle = await at(workflowId, 'wait-reminder');
    await handle.signal('cancelled', { reason: 'appointment_cancelled' });
    return workflowId;
  }

  async function anchorPassed(): Promise<string> {
    const version = await harness.publish(beforeStart('exit'));
    const patient = await addPatient(harness);
    return startDirectRun(
      harness,
      version,
      await admitAppointment(harness, patient.id, new Date(Date.now() + 5 * MINUTE)),
    );
  }

  async function continued(): Promise<{ workflowId: string; firstRunId: string }> {
    const version = await harness.publish(waitFor('custom.done'));
    const patient = await addPatient(harness);
    const event = await admitAppointment(harness, patient.id, new Date(Date.now() + 60 * MINUTE));
    const workflowId = await startDirectRun(harness, version, event, { continueAsNewAtEvents: 12 });
    const handle = await at(workflowId, 'wait');
    const firstRunId = (await handle.describe()).runId;
    for (let index = 0; index < 4; index += 1) {
      await handle.signal('patientEvent', { ...event, id: `noise-${index}`, type: 'custom.noise' });
    }
    await expect
      .poll(async () => (await handle.describe()).runId, { timeout: 30_000 })
      .not.toBe(firstRunId);
    await handle.signal('patientEvent', { ...event, id: 'done', type: 'custom.done' });
    await handle.result();
    return { workflowId, firstRunId };
  }

  async function scheduleFiring(): Promise<{ workflowId: string; firstRunId: string }> {
    await addPatient(harness);
    await addPatient(harness);
    const api = request(harness.app);
    const created = await api.post('/api/journeys').send(
      journey(
        'Recorded campaign',
        [
          node('schedule', 'trigger.schedule', {
            cron: '*/5 * * * * *',
            timeZone: 'America/New_York',
            segment: { combinator: 'all', rules: [{ field: 'patient.email', op: 'exists' }] },
            batchSize: 1,
            batchIntervalSeconds: 1,
          }),
          node('invite', 'send.email', {
            ...plainEmail('Recorded campaign'),
            purpose: 'operations',
          }),
          node('done', 'exit', { outcome: 'completed' }),
        ],
        edges(['schedule', 'out', 'invite'], ['invite', 'out', 'done']),
      ),
    );
    const journeyId = created.body.id as string;
    await api.post(`/api/journeys/${journeyId}/publish`).expect(201);
    const workflowId = `schedule-${journeyId}`;
    const handle = harness.temporal.client.workflow.getHandle(workflowId);
    const firstRunId = (await handle.describe()).runId;
    await expect
      .poll(async () => (await handle.describe()).runId, { timeout: 60_000 })
      .not.toBe(firstRunId);
    await api.post(`/api/journeys/${journeyId}/unpublish`).expect(200);
    await save('schedule-stopped', workflowId, 'a sleeping schedule stopped by unpublishing');
    return { workflowId, firstRunId };
  }
});
