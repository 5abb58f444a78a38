import type { temporal } from '@temporalio/proto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCron } from '../../engine/schedule/cron.js';
import { nextFiring } from '../../engine/schedule/next-firing.js';
import type { ScheduleResult, ScheduleStatus } from '../../workflows/schedule.workflow.js';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';

const CRON = '*/10 * * * * *';
const ZONE = 'Europe/Berlin';

function campaign(subject: string) {
  return journey(
    'Flu shot campaign',
    [
      node('schedule', 'trigger.schedule', {
        cron: CRON,
        timeZone: ZONE,
        segment: { combinator: 'all', rules: [{ field: 'patient.email', op: 'exists' }] },
        batchSize: 1,
        batchIntervalSeconds: 1,
      }),
      node('invite', 'send.email', { ...plainEmail(subject), purpose: 'operations' }),
      node('done', 'exit', { outcome: 'completed' }),
    ],
    edges(['schedule', 'out', 'invite'], ['invite', 'out', 'done']),
  );
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

describe.skipIf(!hasFixtures)('a schedule trigger', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    // Three patients in the directory; the segment takes the two with an email address.
    for (const withoutEmail of [false, false, true]) {
      const { bundle } = reminderBundle({ start: new Date(Date.now() + 86_400_000), withoutEmail });
      await request(harness.app)
        .post('/api/hooks/fhir')
        .set('content-type', 'application/fhir+json')
        .send(JSON.stringify(bundle))
        .expect(202);
    }
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('fires at the instant the engine computes, one run per patient of the segment, in paced batches, until unpublished', async () => {
    const api = request(harness.app);
    const created = await api.post('/api/journeys').send(campaign('Time for your flu shot'));
    const journeyId = created.body.id as string;
    const published = await api.post(`/api/journeys/${journeyId}/publish`);
    expect(published.body.schedule).toEqual({
      workflowId: `schedule-${journeyId}`,
      action: 'scheduled',
    });
    const handle = harness.temporal.client.workflow.getHandle(`schedule-${journeyId}`);

    // The instant the workflow sleeps until is the engine's next firing after its start.
    let status: ScheduleStatus | undefined;
    await expect
      .poll(async () => {
        status = await handle.query<ScheduleStatus>('scheduleStatus');
        return status.nextFiring;
      })
      .not.toBeNull();
    const planned = status?.nextFiring as string;
    const schedule = parseCron(CRON);
    expect(
      schedule.ok &&
        nextFiring(schedule.schedule, ZONE, new Date(Date.parse(planned) - 10_000).toISOString()),
    ).toBe(planned);

    const runsOf = async () =>
      (
        await harness.pool.query<{ workflow_id: string; subject_id: string }>(
          `SELECT r.workflow_id, e.subject_id FROM runs r JOIN inbox_events e ON e.id = r.event_id
           WHERE r.journey_id = $1 ORDER BY e.subject_id`,
          [journeyId],
        )
      ).rows;
    await expect.poll(async () => (await runsOf()).length, { timeout: 30_000 }).toBe(2);
    await api.post(`/api/journeys/${journeyId}/unpublish`).expect(200);
    const result = (await handle.result()) as ScheduleResult;

    const runs = await runsOf();
    expect(runs.every((run) => run.subject_id.startsWith(`${planned}/`))).toBe(true);
    expect(new Set(runs.map((run) => run.subject_id)).size).toBe(2);
    expect(result.outcome).toBe('stopped');
    for (const run of runs) {
      const ended = await harness.temporal.client.workflow.getHandle(run.workflow_id).result();
      expect(ended).toMatchObject({
        outcome: 'completed',
        steps: [{ stepId: 'invite', outcome: 'sent' }, { stepId: 'done' }],
      });
    }

    // The firing's history: a durable timer to the planned instant, then a batch, a one-second
    // pause, the next batch. The timer ends exactly at the instant the engine computed.
    const firingHistory = await historyWithFanOut(harness, `schedule-${journeyId}`);
    const kinds = firingHistory
      .map((event) =>
        event.activityTaskScheduledEventAttributes
          ? 'batch'
          : event.timerStartedEventAttributes
            ? `timer:${Number(event.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0)}s`
            : undefined,
      )
      .filter((kind) => kind !== undefined);
    expect(kinds[0]).toMatch(/^timer:/);
    expect(kinds.slice(1, 4)).toEqual(['batch', 'timer:1s', 'batch']);
    const taskStarted = firingHistory.find((event) => event.workflowTaskStartedEventAttributes);
    const timer = firingHistory.find((event) => event.timerStartedEventAttributes);
    const timeout = timer?.timerStartedEventAttributes?.startToFireTimeout;
    const endsAt =
      millis(taskStarted?.eventTime) +
      Number(timeout?.seconds ?? 0) * 1_000 +
      (timeout?.nanos ?? 0) / 1e6;
    expect(Math.abs(endsAt - Date.parse(planned))).toBeLessThan(2);
  });

  it('switches a running schedule to a newly published version', async () => {
    const api = request(harness.app);
    const created = await api.post('/api/journeys').send(campaign('First wording'));
    const journeyId = created.body.id as string;
    const first = await api.post(`/api/journeys/${journeyId}/publish`);
    await api.put(`/api/journeys/${journeyId}`).send(campaign('Second wording')).expect(200);

    const second = await api.post(`/api/journeys/${journeyId}/publish`);

    const handle = harness.temporal.client.workflow.getHandle(`schedule-${journeyId}`);
    expect(second.body.version.id).not.toBe(first.body.version.id);
    await expect
      .poll(async () => (await handle.query<ScheduleStatus>('scheduleStatus')).versionId)
      .toBe(second.body.version.id);
    await api.post(`/api/journeys/${journeyId}/unpublish`).expect(200);
    expect(((await handle.result()) as ScheduleResult).outcome).toBe('stopped');
  });
});

async function historyWithFanOut(harness: Harness, workflowId: string): Promise<HistoryEvent[]> {
  const service = harness.temporal.connection.workflowService;
  const executions = await service.listWorkflowExecutions({
    namespace: 'default',
    query: `WorkflowId = '${workflowId}'`,
  });
  for (const execution of executions.executions ?? []) {
    const history = await harness.temporal.client.workflow
      .getHandle(workflowId, execution.execution?.runId ?? undefined)
      .fetchHistory();
    const events = history.events ?? [];
    if (events.some((event) => event.activityTaskScheduledEventAttributes)) {
      return events;
    }
  }
  return [];
}

function millis(
  timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined,
): number {
  return Number(timestamp?.seconds ?? 0) * 1_000 + (timestamp?.nanos ?? 0) / 1e6;
}
