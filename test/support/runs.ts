import type { Harness } from './harness.js';
import type { RunResult } from '../../workflows/journey.workflow.js';

/** Waits for a run to end and returns its result. */
export async function runResult(harness: Harness, workflowId: string): Promise<RunResult> {
  return (await harness.temporal.client.workflow.getHandle(workflowId).result()) as RunResult;
}

interface WebhookAnswer {
  accepted: Array<{ eventId: string; duplicate: boolean }>;
}

/**
 * The workflow ids of the runs a webhook answer's events started. A webhook answers once its
 * events are in the inbox and starts their runs right after, so this waits until the inbox
 * records every new event as dispatched.
 */
export async function startedRuns(
  harness: Pick<Harness, 'pool'>,
  body: WebhookAnswer,
  timeoutMs = 30_000,
): Promise<string[]> {
  const ids = body.accepted.filter((event) => !event.duplicate).map((event) => event.eventId);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await harness.pool.query<{
      id: string;
      dispatch_state: string;
      dispatch: { runs: Array<{ workflowId: string; action: string }> } | null;
    }>('SELECT id, dispatch_state, dispatch FROM inbox_events WHERE id = ANY($1)', [ids]);
    if (rows.rows.every((row) => row.dispatch_state === 'dispatched')) {
      // In the answer's order, which is the body's.
      const inOrder = [...rows.rows].sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
      return inOrder.flatMap((row) =>
        (row.dispatch?.runs ?? [])
          .filter((run) => run.action === 'started')
          .map((run) => run.workflowId),
      );
    }
    if (Date.now() > until) {
      throw new Error(`The events ${ids.join(', ')} were not dispatched within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
