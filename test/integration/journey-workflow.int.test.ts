import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeWaitUntil } from '../../engine/schedule/wait-until.js';
import type { JourneyVersion } from '../../server/db/journeys.store.js';
import type { RunResult, RunStatus } from '../../workflows/journey.workflow.js';
import { edges, everyStepJourney, journey, node } from '../fixtures/journeys.js';
import { addPatient, admitAppointment, startDirectRun } from '../support/direct-runs.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const MINUTE = 60_000;

const waitOnly = (step: Parameters<typeof node>[1], data: never) =>
  journey(
    `Only ${step}`,
    [
      node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
      node('wait', step, data),
      node('done', 'exit', { outcome: 'completed' }),
    ],
    edges(['booked', 'out', 'wait'], ['wait', 'out', 'done']),
  );

const waitForEvent = (eventType: string) =>
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

const dayBefore = (ifPassed: 'continue' | 'exit') =>
  waitOnly('wait.until', {
    anchor: 'appointment.start',
    offset: { amount: 15, unit: 'minutes', direction: 'before' },
    ifPassed,
  } as never);

async function statusOf(harness: Harness, workflowId: string): Promise<RunStatus> {
  return harness.temporal.client.workflow.getHandle(workflowId).query<RunStatus>('status');
}

async function waitingAt(harness: Harness, workflowId: string, stepId: string): Promise<RunStatus> {
  await expect
    .poll(async () => (await statusOf(harness, workflowId)).at, { timeout: 30_000 })
    .toBe(stepId);
  await expect
    .poll(async () => (await statusOf(harness, workflowId)).waitingUntil, { timeout: 30_000 })
    .not.toBeNull();
  return statusOf(harness, workflowId);
}

const trail = (result: RunResult) => result.steps.map((step) => `${step.stepId}:${step.outcome}`);

describe('the journey workflow on the real Temporal dev server', () => {
  let harness: Harness;
  let every: JourneyVersion;
  let untilContinue: JourneyVersion;
  let untilExit: JourneyVersion;
  let timeoutRun: Promise<RunResult>;
  let durationRun: Promise<RunResult>;

  beforeAll(async () => {
    harness = await startHarness();
    every = await harness.publish(everyStepJourney());
    untilContinue = await harness.publish(dayBefore('continue'));
    untilExit = await harness.publish(dayBefore('exit'));
    // The two minute-long waits start now and are checked at the end, so they overlap the rest.
    const timeout = await harness.publish(waitForEvent('custom.reply'));
    const duration = await harness.publish(
      waitOnly('wait.duration', { duration: { amount: 1, unit: 'minutes' } } as never),
    );
    const patient = await addPatient(harness);
    const start = new Date(Date.now() + 60 * MINUTE);
    timeoutRun = runResult(
      harness,
      await startDirectRun(harness, timeout, await admitAppointment(harness, patient.id, start)),
    );
    durationRun = runResult(
      harness,
      await startDirectRun(harness, duration, await admitAppointment(harness, patient.id, start)),
    );
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('runs condition, split, wait.until, send.email, wait.event and exit, with a patientEvent signal', async () => {
    const patient = await addPatient(harness, { timeZone: 'Europe/Berlin' });
    const start = new Date(Date.now() + 15 * MINUTE + 4_000);
    const event = await admitAppointment(harness, patient.id, start);
    const workflowId = await startDirectRun(harness, every, event);

    const waiting = await waitingAt(harness, workflowId, 'wait-reminder');
    const computed = computeWaitUntil(
      { offset: { amount: 15, unit: 'minutes', direction: 'before' } },
      (event.data.appointment as { start: string }).start,
      'Europe/Berlin',
    );
    expect(computed.ok && waiting.waitingUntil).toBe(computed.ok ? computed.at : 'not computed');
    await waitingAt(harness, workflowId, 'confirm');
    const confirmation = await admitAppointment(harness, patient.id, start, {
      type: 'appointment.confirmed',
      appointmentId: event.subject.id,
    });
    await harness.temporal.client.workflow
      .getHandle(workflowId)
      .signal('patientEvent', confirmation);
    const result = await runResult(harness, workflowId);

    expect(result).toMatchObject({ status: 'completed', outcome: 'confirmed' });
    expect(trail(result)).toEqual([
      'has-email:yes',
      expect.stringMatching(/^arm:[ab]$/),
      'wait-reminder:reached',
      'reminder:sent',
      'confirm:received',
      'thanks:sent',
      'done:confirmed',
    ]);
    const mine = harness.smtp.messages.filter((message) =>
      message.envelope.to.includes(patient.email as string),
    );
    expect(mine.map((message) => message.parsed.subject)).toEqual([
      'Your appointment is soon',
      'Thank you for confirming',
    ]);
    // Pathwell's own run records match the run's trail.
    const recorded = await harness.pool.query(
      'SELECT step_id, outcome FROM run_steps WHERE workflow_id = $1 ORDER BY seq',
      [workflowId],
    );
    expect(recorded.rows.map((row) => `${row.step_id}:${row.outcome}`)).toEqual(trail(result));
  });

  it('takes the "no" branch of a condition', async () => {
    const patient = await addPatient(harness, { email: undefined });
    const event = await admitAppointment(harness, patient.id, new Date(Date.now() + 60 * MINUTE));

    const result = await runResult(harness, await startDirectRun(harness, every, event));

    expect(trail(result)).toEqual(['has-email:no', 'no-email:skipped']);
  });

  it('recomputes a pending wait.until when a rescheduled signal moves the appointment', async () => {
    const patient = await addPatient(harness);
    const event = await admitAppointment(harness, patient.id, new Date(Date.now() + 120 * MINUTE));
    const workflowId = await startDirectRun(harness, untilContinue, event);
    const first = await waitingAt(harness, workflowId, 'wait');

    const sooner = new Date(Date.now() + 15 * MINUTE + 3_000);
    const moved = await admitAppointment(harness, patient.id, sooner, {
      type: 'appointment.rescheduled',
      appointmentId: event.subject.id,
    });
    await harness.temporal.client.workflow.getHandle(workflowId).signal('rescheduled', moved);

    await expect
      .poll(async () => (await statusOf(harness, workflowId)).waitingUntil, { timeout: 30_000 })
      .toBe(new Date(sooner.getTime() - 15 * MINUTE).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(first.waitingUntil).toBe(
      new Date(Date.parse((event.data.appointment as { start: string }).start) - 15 * MINUTE)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(trail(await runResult(harness, workflowId))).toEqual(['wait:reached', 'done:completed']);
  });

  it('ends cancelled, with nothing sent, on a cancelled signal', async () => {
    const patient = await addPatient(harness);
    const event = await admitAppointment(harness, patient.id, new Date(Date.now() + 20 * MINUTE));
    const workflowId = await startDirectRun(harness, every, event);
    await waitingAt(harness, workflowId, 'wait-reminder');

    await harness.temporal.client.workflow
      .getHandle(workflowId)
      .signal('cancelled', { reason: 'appointment_cancelled' });
    const result = await runResult(harness, workflowId);

    expect(result).toMatchObject({
      status: 'cancelled',
      outcome: 'cancelled',
      reason: 'appointment_cancelled',
    });
    expect(
      harness.smtp.messages.some((message) =>
        message.envelope.to.includes(patient.email as string),
      ),
    ).toBe(false);
    const run = await harness.pool.query(
      'SELECT status, outcome FROM runs WHERE workflow_id = $1',
      [workflowId],
    );
    expect(run.rows[0]).toEqual({ status: 'cancelled', outcome: 'cancelled' });
  });

  it('exits with anchor_passed, or goes on at once, when the wait.until instant has passed', async () => {
    const patient = await addPatient(harness);
    const soon = new Date(Date.now() + 5 * MINUTE);

    const exited = await runResult(
      harness,
      await startDirectRun(harness, untilExit, await admitAppointment(harness, patient.id, soon)),
    );
    const continued = await runResult(
      harness,
      await startDirectRun(
        harness,
        untilContinue,
        await admitAppointment(harness, patient.id, soon),
      ),
    );

    expect(exited).toMatchObject({ outcome: 'exited', reason: 'anchor_passed' });
    expect(trail(continued)).toEqual(['wait:anchor_passed_continue', 'done:completed']);
  });

  it('continues as new under the same workflow id and keeps its state', async () => {
    const patient = await addPatient(harness);
    const event = await admitAppointment(
      harness,
      patient.id,
      new Date(Date.now() + 15 * MINUTE + 3_000),
    );
    const workflowId = await startDirectRun(harness, every, event, { continueAsNewAtEvents: 12 });
    const handle = harness.temporal.client.workflow.getHandle(workflowId);
    await waitingAt(harness, workflowId, 'confirm');

    const waitingRun = (await handle.describe()).runId;
    // The signals grow history past the limit while the run waits: it continues as new. How
    // many that takes depends on how many signals one workflow task takes in (a busy worker
    // takes several at once, which writes fewer events), so signal until it has.
    let noise = 0;
    await expect
      .poll(
        async () => {
          await handle.signal('patientEvent', {
            ...event,
            id: `noise-${noise}`,
            type: 'custom.noise',
          });
          noise += 1;
          return (await handle.describe()).runId;
        },
        { timeout: 30_000, interval: 250 },
      )
      .not.toBe(waitingRun);
    const confirmation = await admitAppointment(harness, patient.id, new Date(), {
      type: 'appointment.confirmed',
      appointmentId: event.subject.id,
    });
    await handle.signal('patientEvent', confirmation);
    const result = await runResult(harness, workflowId);

    // The trail spans every execution of the chain.
    expect(trail(result)).toEqual([
      'has-email:yes',
      expect.stringMatching(/^arm:[ab]$/),
      'wait-reminder:reached',
      'reminder:sent',
      'confirm:received',
      'thanks:sent',
      'done:confirmed',
    ]);
    const latest = await handle.describe();
    const firstRunId = latest.raw.workflowExecutionInfo?.firstRunId ?? undefined;
    expect(latest.runId).not.toBe(firstRunId);
    const first = await harness.temporal.client.workflow
      .getHandle(workflowId, firstRunId)
      .fetchHistory();
    expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const recorded = await harness.pool.query(
      'SELECT count(*)::int AS n FROM run_steps WHERE workflow_id = $1',
      [workflowId],
    );
    expect(recorded.rows[0].n).toBe(7);
  });

  it('takes the timeout outcome of a wait.event, and waits out a wait.duration', async () => {
    expect(trail(await timeoutRun)).toEqual(['wait:timeout', 'gave-up:timed_out']);
    expect(trail(await durationRun)).toEqual(['wait:elapsed', 'done:completed']);
  });
});
