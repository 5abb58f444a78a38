import type { Harness } from './harness.js';
import type { RunResult } from '../../workflows/journey.workflow.js';

/** Waits for a run to end and returns its result. */
export async function runResult(harness: Harness, workflowId: string): Promise<RunResult> {
  return (await harness.temporal.client.workflow.getHandle(workflowId).result()) as RunResult;
}

/** The workflow ids of every run a webhook answer lists. */
export function startedRuns(body: {
  accepted: Array<{ runs: Array<{ workflowId: string; action: string }> }>;
}): string[] {
  return body.accepted.flatMap((event) =>
    event.runs.filter((run) => run.action === 'started').map((run) => run.workflowId),
  );
}
