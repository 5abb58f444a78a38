// The package is CommonJS: its namespace is only reachable through the default export here.
import proto from '@temporalio/proto';
import type { Queryable } from '../db/pool.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';

/** Runs Pathwell recorded, by status and outcome (codes only). */
export async function runCounts(
  db: Queryable,
): Promise<Array<{ status: string; outcome: string; count: number }>> {
  const result = await db.query<{ status: string; outcome: string | null; count: string }>(
    'SELECT status, outcome, count(*) AS count FROM runs GROUP BY status, outcome',
  );
  return result.rows.map((row) => ({
    status: row.status,
    outcome: row.outcome ?? '',
    count: Number(row.count),
  }));
}

/** Deliveries in the ledger, by protection method and state. */
export async function sendCounts(
  db: Queryable,
): Promise<Array<{ method: string; result: string; count: number }>> {
  const result = await db.query<{ method: string | null; state: string; count: string }>(
    'SELECT method, state, count(*) AS count FROM deliveries GROUP BY method, state',
  );
  return result.rows.map((row) => ({
    method: row.method ?? 'none',
    result: row.state,
    count: Number(row.count),
  }));
}

/** Seconds the oldest inbox event has waited for its runs to start (0 when none waits). */
export async function inboxLagSeconds(db: Queryable): Promise<number> {
  const result = await db.query<{ lag: string | null }>(
    `SELECT EXTRACT(EPOCH FROM now() - min(received_at)) AS lag FROM inbox_events
     WHERE dispatch_state = 'pending'`,
  );
  return Number(result.rows[0]?.lag ?? 0);
}

/** Journey runs that failed in the last hour, from Temporal visibility. */
export async function recentFailedRuns(handle: TemporalHandle): Promise<number> {
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const response = await handle.connection.workflowService.countWorkflowExecutions({
    namespace: handle.client.options.namespace,
    query: `WorkflowType = 'journeyRun' AND TaskQueue = '${handle.taskQueue}' AND ExecutionStatus = 'Failed' AND CloseTime > '${since}'`,
  });
  return Number(response.count ?? 0);
}

/**
 * How long the oldest task has waited on the task queue, per kind, as Temporal estimates it.
 * Servers without task queue statistics answer nothing, and the gauge is then absent.
 */
export async function taskQueueBacklogSeconds(
  handle: TemporalHandle,
): Promise<Array<{ kind: 'workflow' | 'activity'; seconds: number }>> {
  const kinds = [
    ['workflow', proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    ['activity', proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ] as const;
  const ages: Array<{ kind: 'workflow' | 'activity'; seconds: number }> = [];
  for (const [kind, taskQueueType] of kinds) {
    const response = await handle.connection.workflowService.describeTaskQueue({
      namespace: handle.client.options.namespace,
      taskQueue: { name: handle.taskQueue },
      taskQueueType,
      reportStats: true,
    });
    const age = response.stats?.approximateBacklogAge;
    if (age !== null && age !== undefined) {
      ages.push({
        kind,
        seconds: Number(age.seconds ?? 0) + (age.nanos ?? 0) / 1e9,
      });
    }
  }
  return ages;
}
