import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { NativeConnection, Worker } from '@temporalio/worker';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/create-activities.js';
import type { JourneyVersion } from '../../server/db/journeys.store.js';
import type { RunPage } from '../../server/runs/list-runs.js';
import type { RunTimeline } from '../../server/runs/run-timeline.js';
import { EncryptionCodec } from '../../server/temporal/payload-codec.js';
import { FAILURE_CONVERTER_PATH } from '../../server/temporal/temporal-client.js';
import { WORKFLOW_FAILURE_ERROR_TYPES } from '../../server/worker/journey-worker.js';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { postPatientFirst } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/pathwell.js');

const withWait = journey(
  'Two notes a day apart',
  [
    node('start', 'trigger.manual', {}),
    node('first', 'send.email', plainEmail('First note from your care team')),
    node('pause', 'wait.duration', { duration: { amount: 1, unit: 'days' } }),
    node('second', 'send.email', plainEmail('Second note from your care team')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(
    ['start', 'out', 'first'],
    ['first', 'out', 'pause'],
    ['pause', 'out', 'second'],
    ['second', 'out', 'done'],
  ),
);

const backToBack = journey(
  'Two notes at once',
  [
    node('start', 'trigger.manual', {}),
    node('first', 'send.email', plainEmail('Your first note')),
    node('second', 'send.email', plainEmail('Your second note')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'first'], ['first', 'out', 'second'], ['second', 'out', 'done']),
);

const single = journey(
  'One note in bulk',
  [
    node('start', 'trigger.manual', {}),
    node('note', 'send.email', plainEmail('Your note, sent in bulk')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'note'], ['note', 'out', 'done']),
);

describe.skipIf(!hasFixtures)('the runs API', () => {
  let harness: Harness;
  let waiting: JourneyVersion;
  let quick: JourneyVersion;
  let patientId: string;

  beforeAll(async () => {
    harness = await startHarness();
    waiting = await harness.publish(withWait);
    quick = await harness.publish(backToBack);
    patientId = (await postPatientFirst(harness, 'runs.patient@example.org')).patientId;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const api = () => request(harness.app);

  async function startRun(version: JourneyVersion): Promise<string> {
    const response = await api()
      .post(`/api/journeys/${version.journeyId}/runs`)
      .send({ patientId });
    expect(response.status).toBe(201);
    return response.body.workflowId as string;
  }

  const timeline = async (workflowId: string): Promise<RunTimeline> =>
    (await api().get(`/api/runs/${workflowId}`)).body as RunTimeline;

  async function listed(query: Record<string, string>): Promise<string[]> {
    const response = await api().get('/api/runs').query(query);
    expect(response.status).toBe(200);
    return (response.body as RunPage).runs.map((run) => run.workflowId);
  }

  const messagesOf = (subject: string) =>
    harness.smtp.messages.filter((message) => message.parsed.subject === subject);

  it('lists a waiting run, shows its delivery and scheduled wait, and cancels it', async () => {
    const workflowId = await startRun(waiting);

    await expect
      .poll(async () => (await timeline(workflowId)).at, { timeout: 30_000 })
      .toBe('pause');
    const running = await timeline(workflowId);
    await expect
      .poll(() => listed({ journeyId: waiting.journeyId, status: 'running' }), { timeout: 10_000 })
      .toContain(workflowId);
    expect(await listed({ patientId, versionId: waiting.id })).toContain(workflowId);
    const cancel = await api().post(`/api/runs/${workflowId}/cancel`);
    await expect
      .poll(async () => (await timeline(workflowId)).status, { timeout: 30_000 })
      .toBe('cancelled');
    const cancelled = await timeline(workflowId);

    expect(running).toMatchObject({ status: 'running', journeyId: waiting.journeyId, patientId });
    expect(running.deliveries).toEqual([
      expect.objectContaining({ stepId: 'first', state: 'accepted', smtpCode: 250 }),
    ]);
    expect(running.decisions).toContainEqual(
      expect.objectContaining({ stepId: 'first', decision: 'allowed' }),
    );
    expect(running.scheduled).toHaveLength(1);
    expect(running.scheduled[0]?.stepId).toBe('pause');
    expect(Date.parse(running.scheduled[0]?.at ?? '') - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(cancel.status).toBe(202);
    expect(cancelled).toMatchObject({ outcome: expect.any(String), reason: 'operator_cancelled' });
    await expect
      .poll(() => listed({ journeyId: waiting.journeyId, status: 'cancelled' }), {
        timeout: 10_000,
      })
      .toContain(workflowId);
    expect(await listed({ journeyId: waiting.journeyId, status: 'running' })).not.toContain(
      workflowId,
    );
  });

  it('answers 409 to replaying a run that has not failed and to cancelling one that ended', async () => {
    const workflowId = await startRun(quick);
    await runResult(harness, workflowId);

    const replay = await api().post(`/api/runs/${workflowId}/replay`).send({});
    const cancel = await api().post(`/api/runs/${workflowId}/cancel`);
    const missing = await api().get('/api/runs/run-nothing-here');
    const badFilter = await api().get('/api/runs').query({ journeyId: "x' OR 1=1" });

    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('run_not_failed');
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('run_not_running');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('run_not_found');
    expect(badFilter.status).toBe(400);
  });

  it('fails a run whose send gives up, lists it at its step, and replays it from there', async () => {
    // A harness of its own, whose SMTP server holds its answer to the first message: while it
    // holds, the run's plan is pinned and its first send is under way, and the stored version
    // is changed so the next send fails with a non-retryable internal_error (as a corrupted
    // version would: the send activity reads its step from the database).
    const h = await startHarness({ smtp: { holdAt: 'data-end' } });
    try {
      const version = await h.publish(backToBack);
      const patient = (await postPatientFirst(h, 'runs.failing@example.org')).patientId;
      const started = await request(h.app)
        .post(`/api/journeys/${version.journeyId}/runs`)
        .send({ patientId: patient });
      const workflowId = started.body.workflowId as string;
      const original = await h.pool.query<{ plan: unknown }>(
        'SELECT plan FROM journey_versions WHERE id = $1',
        [version.id],
      );
      await h.smtp.held;
      await h.pool.query(
        `UPDATE journey_versions SET plan = jsonb_set(plan, '{steps,second,kind}', '"exit"')
         WHERE id = $1`,
        [version.id],
      );
      h.smtp.release();
      const read = async () =>
        (await request(h.app).get(`/api/runs/${workflowId}`)).body as RunTimeline;
      const list = async (query: Record<string, string>) =>
        ((await request(h.app).get('/api/runs').query(query)).body as RunPage).runs.map(
          (run) => run.workflowId,
        );
      await expect.poll(async () => (await read()).status, { timeout: 30_000 }).toBe('failed');
      const failed = await read();
      await expect
        .poll(
          () => list({ status: 'failed', failureType: 'internal_error', failedNode: 'second' }),
          { timeout: 10_000 },
        )
        .toContain(workflowId);
      await h.pool.query('UPDATE journey_versions SET plan = $2 WHERE id = $1', [
        version.id,
        original.rows[0]?.plan,
      ]);

      const replay = await request(h.app).post(`/api/runs/${workflowId}/replay`).send({});
      const result = await runResult(h, workflowId);
      const replayed = await read();

      expect(failed.failure).toMatchObject({
        type: 'internal_error',
        failedNode: 'second',
        cause: { type: 'internal_error' },
      });
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ mode: 'from_failed_step', fromStep: 'second' });
      expect(result.outcome).toBe('completed');
      expect(replayed).toMatchObject({ status: 'completed', replays: 1, failure: null });
      const subjects = h.smtp.messages.map((message) => message.parsed.subject);
      expect(subjects.sort()).toEqual(['Your first note', 'Your second note']);
      expect(await list({ status: 'failed' })).not.toContain(workflowId);
    } finally {
      await h.close();
    }
  });

  it('fails a run on non-determinism, and its replay finds the accepted send in the ledger', async () => {
    const workflowId = await startRun(waiting);
    await expect
      .poll(async () => (await timeline(workflowId)).at, { timeout: 30_000 })
      .toBe('pause');
    const sentBefore = messagesOf('First note from your care team').length;
    await harness.stopWorker();
    const changed = await changedCodeWorker(harness);
    const done = changed.worker.run();
    // Any new workflow task makes the changed code replay the history.
    await harness.temporal.client.workflow.getHandle(workflowId).signal('patientEvent', {
      id: 'e1',
      type: 'x.y',
      source: 'test',
      subject: { resourceType: 'Test', id: 't' },
      patientId,
      occurredAt: new Date().toISOString(),
      data: {},
    });
    await expect
      .poll(async () => (await timeline(workflowId)).status, { timeout: 60_000 })
      .toBe('failed');
    const failed = await timeline(workflowId);
    changed.worker.shutdown();
    await done;
    await changed.connection.close();
    await harness.startWorker();

    const replay = await api().post(`/api/runs/${workflowId}/replay`).send({});
    await expect
      .poll(async () => (await timeline(workflowId)).at, { timeout: 30_000 })
      .toBe('pause');
    const resumed = await timeline(workflowId);

    expect(failed.failure?.type).toBe('nondeterminism');
    expect(failed.failureType).toBe('nondeterminism');
    expect(replay.status).toBe(202);
    expect(replay.body.mode).toBe('from_start');
    expect(messagesOf('First note from your care team')).toHaveLength(sentBefore);
    expect(resumed.deliveries).toEqual([
      expect.objectContaining({ stepId: 'first', state: 'accepted', attempts: 1 }),
    ]);
    expect(resumed.steps).toContainEqual(
      expect.objectContaining({ stepId: 'first', reason: 'already_accepted' }),
    );
    expect((await api().post(`/api/runs/${workflowId}/cancel`)).status).toBe(202);
  });

  it('reports failed runs in a dry run, then replays them all in a paced job with a report', async () => {
    const version = await harness.publish(single);
    const original = await harness.pool.query<{ plan: unknown }>(
      'SELECT plan FROM journey_versions WHERE id = $1',
      [version.id],
    );
    // The send activity renders the stored version's template: a broken one fails each send
    // with the non-retryable template_render_failed, as a bad deployment would.
    await harness.pool.query(
      `UPDATE journey_versions
       SET plan = jsonb_set(plan, '{steps,note,template,subject}', '"{% if %}"') WHERE id = $1`,
      [version.id],
    );
    const ids = [await startRun(version), await startRun(version), await startRun(version)];
    const filter = { journeyId: version.journeyId, failureType: 'template_render_failed' };
    await expect
      .poll(async () => (await listed({ ...filter, status: 'failed' })).length, {
        timeout: 30_000,
      })
      .toBe(3);
    await harness.pool.query('UPDATE journey_versions SET plan = $2 WHERE id = $1', [
      version.id,
      original.rows[0]?.plan,
    ]);

    const dryRun = await api().post('/api/runs/replay').send({ filter });
    const started = await api()
      .post('/api/runs/replay')
      .send({ filter, dryRun: false, paceMs: 50 });
    const jobId = started.body.jobId as string;
    await expect
      .poll(async () => ((await api().get(`/api/runs/replay/${jobId}`)).body as Job).state, {
        timeout: 30_000,
      })
      .toBe('completed');
    const job = (await api().get(`/api/runs/replay/${jobId}`)).body as Job;
    const outcomes = await Promise.all(ids.map((id) => runResult(harness, id)));

    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ dryRun: true, total: 3, isTruncated: false });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(3);
    expect(job.progress).toEqual({ total: 3, pending: 0, replayed: 3, skipped: 0, failed: 0 });
    expect(job.report.map((item) => item.workflowId).sort()).toEqual([...ids].sort());
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(messagesOf('Your note, sent in bulk')).toHaveLength(3);
    expect((await api().get(`/api/runs/replay/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('the CLI lists, shows and bulk-replays runs through the server, with a progress bar', async () => {
    const version = await harness.publish({ ...single, name: 'One note from the CLI' });
    const original = await harness.pool.query<{ plan: unknown }>(
      'SELECT plan FROM journey_versions WHERE id = $1',
      [version.id],
    );
    await harness.pool.query(
      `UPDATE journey_versions
       SET plan = jsonb_set(plan, '{steps,note,template,subject}', '"{% if %}"') WHERE id = $1`,
      [version.id],
    );
    const ids = [await startRun(version), await startRun(version)];
    await expect
      .poll(async () => (await listed({ journeyId: version.journeyId, status: 'failed' })).length, {
        timeout: 30_000,
      })
      .toBe(2);
    await harness.pool.query('UPDATE journey_versions SET plan = $2 WHERE id = $1', [
      version.id,
      original.rows[0]?.plan,
    ]);
    // The real app, no harness credentials: the CLI sends its own token.
    const server = harness.rawApp.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cli = (...args: string[]) =>
      run(process.execPath, [BIN, 'runs', '--url', url, ...args], {
        encoding: 'utf8',
        env: { ...process.env, PATHWELL_API_TOKEN: harness.adminToken },
      });

    try {
      const list = await cli(
        'list',
        '--journey',
        version.journeyId,
        '--status',
        'failed',
        '--json',
      );
      const show = await cli('show', ids[0] as string);
      const dryRun = await cli('replay', '--journey', version.journeyId);
      const bulk = await cli('replay', '--journey', version.journeyId, '--yes', '--pace', '10');
      await Promise.all(ids.map((id) => runResult(harness, id)));
      const refused = await cli('cancel', ids[0] as string).catch(
        (error: { code: number; stderr: string }) => error,
      );

      expect(
        (JSON.parse(list.stdout) as Array<{ workflowId: string }>).map((r) => r.workflowId).sort(),
      ).toEqual([...ids].sort());
      expect(show.stdout).toContain('failed: template_render_failed at note');
      expect(dryRun.stdout).toContain('2 failed run(s) match.');
      expect(dryRun.stdout).toContain('Dry run: add --yes to replay them.');
      expect(bulk.stdout).toMatch(/Job [0-9a-f-]+: 2 replayed, 0 skipped, 0 failed\./);
      expect(bulk.stderr).toContain('Replaying [');
      expect(refused).toMatchObject({ code: 1 });
      expect((refused as { stderr: string }).stderr).toContain('run_not_running');
    } finally {
      server.close();
    }
  });

  it('replays on the newest version by node id, and refuses one that lacks the failed node', async () => {
    const first = await harness.publish({ ...single, name: 'One note, then revised' });
    const original = await harness.pool.query<{ plan: unknown }>(
      'SELECT plan FROM journey_versions WHERE id = $1',
      [first.id],
    );
    await harness.pool.query(
      `UPDATE journey_versions
       SET plan = jsonb_set(plan, '{steps,note,template,subject}', '"{% if %}"') WHERE id = $1`,
      [first.id],
    );
    const [mapped, unmapped] = [await startRun(first), await startRun(first)];
    await expect
      .poll(async () => (await listed({ journeyId: first.journeyId, status: 'failed' })).length, {
        timeout: 30_000,
      })
      .toBe(2);
    await harness.pool.query('UPDATE journey_versions SET plan = $2 WHERE id = $1', [
      first.id,
      original.rows[0]?.plan,
    ]);
    const revise = async (document: typeof single) => {
      await api().put(`/api/journeys/${first.journeyId}`).send(document).expect(200);
      const published = await api().post(`/api/journeys/${first.journeyId}/publish`).expect(201);
      return (published.body as { version: { id: string } }).version;
    };
    const second = await revise(
      journey(
        'One note, then revised',
        [
          node('start', 'trigger.manual', {}),
          node('note', 'send.email', plainEmail('Your revised note')),
          node('done', 'exit', { outcome: 'completed' }),
        ],
        edges(['start', 'out', 'note'], ['note', 'out', 'done']),
      ),
    );

    const onNewest = await api().post(`/api/runs/${mapped}/replay`).send({ version: 'newest' });
    await runResult(harness, mapped);
    await revise(
      journey(
        'One note, then revised',
        [
          node('start', 'trigger.manual', {}),
          node('renamed', 'send.email', plainEmail('Your renamed note')),
          node('done', 'exit', { outcome: 'completed' }),
        ],
        edges(['start', 'out', 'renamed'], ['renamed', 'out', 'done']),
      ),
    );
    const lacking = await api().post(`/api/runs/${unmapped}/replay`).send({ version: 'newest' });
    const onOwn = await api().post(`/api/runs/${unmapped}/replay`).send({ version: 'own' });
    await runResult(harness, unmapped);

    expect(onNewest.status).toBe(202);
    expect(onNewest.body).toMatchObject({ versionId: second.id, fromStep: 'note' });
    expect((await timeline(mapped)).versionId).toBe(second.id);
    expect(messagesOf('Your revised note')).toHaveLength(1);
    expect(lacking.status).toBe(409);
    expect(lacking.body.code).toBe('replay_step_missing');
    expect(onOwn.status).toBe(202);
    expect(onOwn.body.versionId).toBe(first.id);
    expect((await timeline(unmapped)).status).toBe('completed');
  });
});

interface Job {
  state: string;
  progress: Record<string, number>;
  report: Array<{ workflowId: string; state: string }>;
}

async function changedCodeWorker(h: Harness) {
  const connection = await NativeConnection.connect({ address: h.config.temporalAddress ?? '' });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: h.config.taskQueue,
    workflowsPath: path.resolve(import.meta.dirname, '../fixtures/nondeterministic.workflow.ts'),
    activities: createActivities(h.activityDeps),
    dataConverter: {
      payloadCodecs: [new EncryptionCodec(h.keyring)],
      failureConverterPath: FAILURE_CONVERTER_PATH,
    },
    workflowFailureErrorTypes: WORKFLOW_FAILURE_ERROR_TYPES,
  });
  return { worker, connection };
}
