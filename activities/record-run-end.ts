import type { RunEnd, StepRecord } from '../engine/interpreter/run-state.js';
import { recordRunProgress } from '../server/db/runs.store.js';
import type { ActivityDeps } from './activity-deps.js';

/** Steps of a run not yet recorded, numbered from `firstSeq` by their place in the trail. */
export interface RunProgress {
  workflowId: string;
  firstSeq: number;
  steps: StepRecord[];
}

/**
 * Writes a run's remaining steps and its end to Pathwell's run records. Runs as a local
 * activity when the run finishes (one marker in history), so Pathwell's records cost the run
 * no extra task-queue round trip.
 */
export async function recordRunEnd(
  deps: ActivityDeps,
  input: RunProgress & { end: RunEnd },
): Promise<void> {
  await recordRunProgress(deps.pool, input.workflowId, numbered(input), input.end);
}

/** Writes a run's steps so far; the send activity does this on its way, at no extra cost. */
export async function recordRunSteps(deps: ActivityDeps, input: RunProgress): Promise<void> {
  await recordRunProgress(deps.pool, input.workflowId, numbered(input), null);
}

function numbered(progress: RunProgress): Array<StepRecord & { seq: number }> {
  return progress.steps.map((step, index) => ({ ...step, seq: progress.firstSeq + index }));
}
