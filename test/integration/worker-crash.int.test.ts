import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import type { RunStatus } from '../../workflows/journey.workflow.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, type HarnessOptions, startHarness } from '../support/harness.js';
import { runResult, startedRuns } from '../support/runs.js';

const HOUR = 3_600_000;

describe.skipIf(!hasFixtures)('a worker killed with SIGKILL', () => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function setUp(options: HarnessOptions): Promise<Harness> {
    harness = await startHarness({ ...options, withWorker: false });
    await harness.publish(DEMO_JOURNEY);
    return harness;
  }

  async function postReminder(h: Harness, start: Date): Promise<string> {
    const { bundle } = reminderBundle({ start });
    const response = await request(h.app)
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify(bundle));
    expect(response.status).toBe(202);
    return (await startedRuns(h, response.body))[0] as string;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async function ledgerRow(h: Harness, workflowId: string) {
    const result = await h.pool.query<{
      state: string;
      attempts: number;
      resent_after_unknown: boolean;
    }>(
      "SELECT state, attempts, resent_after_unknown FROM deliveries WHERE workflow_id = $1 AND step_id = 'reminder'",
      [workflowId],
    );
    return result.rows[0];
  }

  it('while a run waits: a new worker finishes it and exactly one email arrives', async () => {
    const h = await setUp({});
    const worker = h.spawnWorkerProcess();
    const workflowId = await postReminder(h, new Date(Date.now() + 24 * HOUR + 25_000));

    const handle = h.temporal.client.workflow.getHandle(workflowId);
    await expect
      .poll(async () => (await handle.query<RunStatus>('status')).at, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe('day-before');
    await kill(worker);
    h.spawnWorkerProcess();
    const result = await runResult(h, workflowId);
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(result.outcome).toBe('completed');
    expect(h.smtp.messages).toHaveLength(1);
  });

  it('before DATA (the peer holds its RCPT answer): exactly one copy arrives after restart', async () => {
    const h = await setUp({ smtp: { holdAt: 'rcpt' } });
    const worker = h.spawnWorkerProcess();
    const workflowId = await postReminder(h, new Date(Date.now() + 2 * HOUR));

    await h.smtp.held;
    await kill(worker);
    h.smtp.release();
    h.spawnWorkerProcess();
    const result = await runResult(h, workflowId);
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(result.outcome).toBe('completed');
    expect(h.smtp.messages).toHaveLength(1);
    expect(h.smtp.dataCommands()).toBe(1);
    expect(result.steps.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'sent',
    });
    expect(result.steps.find((step) => step.stepId === 'reminder')?.reason).toBeUndefined();
    expect(await ledgerRow(h, workflowId)).toEqual({
      state: 'accepted',
      attempts: 1,
      resent_after_unknown: false,
    });
  });

  it('while the peer holds its answer to the body: one or two copies, one Message-ID, and the run says it resent', async () => {
    const h = await setUp({ smtp: { holdAt: 'data-end' } });
    const worker = h.spawnWorkerProcess();
    const workflowId = await postReminder(h, new Date(Date.now() + 2 * HOUR));

    await h.smtp.held;
    await kill(worker);
    h.smtp.release();
    h.spawnWorkerProcess();
    const result = await runResult(h, workflowId);
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const ids = new Set(h.smtp.messages.map((message) => message.messageId));
    expect(h.smtp.messages.length).toBeGreaterThanOrEqual(1);
    expect(h.smtp.messages.length).toBeLessThanOrEqual(2);
    expect(ids.size).toBe(1);
    expect(result.steps.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'sent',
      reason: 'resent_after_unknown_outcome',
    });
    expect(await ledgerRow(h, workflowId)).toMatchObject({
      state: 'accepted',
      resent_after_unknown: true,
    });
  });
});
