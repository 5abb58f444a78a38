import type { StepRecord } from '../../engine/interpreter/run-state.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { Queryable } from '../db/pool.js';
import {
  loadRunDecisions,
  loadRunDeliveries,
  type RunDecision,
  type RunDelivery,
} from '../db/run-evidence.store.js';
import { loadRunSteps, loadRuns } from '../db/runs.store.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';
import type { RunStatus } from '../../workflows/journey.workflow.js';
import { type RunSummary, runSummaryOf } from './list-runs.js';
import { type RunFailureInfo, readRunFailure } from './run-failure-info.js';
import { type RunExecution, runExecutionOf } from './visibility.js';

/** A run's timeline: what it did, what was decided, what was delivered, what comes next. */
export interface RunTimeline extends RunSummary {
  /** The step the run is at while it runs. */
  at: string | null;
  steps: Array<StepRecord & { seq: number }>;
  decisions: RunDecision[];
  deliveries: RunDelivery[];
  /** The wait the run sleeps in, and when it wakes. */
  scheduled: Array<{ stepId: string; at: string }>;
  failure: RunFailureInfo | null;
}

/** What reading a run needs. */
export interface RunReadDeps {
  pool: Queryable;
  temporal: TemporalHandle;
}

/** The newest execution of a run, or `run_not_found`. */
export async function describeRun(deps: RunReadDeps, workflowId: string): Promise<RunExecution> {
  try {
    const described = await deps.temporal.connection.workflowService.describeWorkflowExecution({
      namespace: deps.temporal.client.options.namespace,
      execution: { workflowId },
    });
    const execution = runExecutionOf(described.workflowExecutionInfo ?? {});
    if (described.workflowExecutionInfo?.type?.name !== 'journeyRun') {
      throw notFound(workflowId);
    }
    return execution;
  } catch (error) {
    if ((error as { code?: unknown }).code === 5) {
      throw notFound(workflowId);
    }
    throw error;
  }
}

/**
 * Reads a run's timeline: Temporal's status (and, while it runs, the run's own account of its
 * steps and its wait), Pathwell's step records, the audit trail's decisions and the ledger.
 */
export async function runTimeline(deps: RunReadDeps, workflowId: string): Promise<RunTimeline> {
  const execution = await describeRun(deps, workflowId);
  const record = (await loadRuns(deps.pool, [workflowId])).get(workflowId);
  const summary = runSummaryOf(execution, record);
  const recorded = await loadRunSteps(deps.pool, workflowId);
  const live = summary.status === 'running' ? await liveStatus(deps, workflowId) : undefined;
  const failure =
    summary.status === 'failed'
      ? (await readRunFailure(deps.temporal, workflowId, execution.runId)).info
      : null;
  return {
    ...summary,
    ...(failure === null ? {} : { failureType: failure.type, failedNode: failure.failedNode }),
    at: live?.at ?? null,
    steps: live === undefined ? recorded : live.steps.map((step, seq) => ({ ...step, seq })),
    decisions: await loadRunDecisions(deps.pool, workflowId),
    deliveries: await loadRunDeliveries(deps.pool, workflowId),
    scheduled:
      live?.at !== null && live?.at !== undefined && live.waitingUntil !== null
        ? [{ stepId: live.at, at: live.waitingUntil }]
        : [],
    failure,
  };
}

// A run reports its steps to Pathwell only when it sends or ends; its query knows them all
// (its trail goes across continue-as-new and replays).
async function liveStatus(deps: RunReadDeps, workflowId: string): Promise<RunStatus | undefined> {
  try {
    return await deps.temporal.client.workflow.getHandle(workflowId).query<RunStatus>('status');
  } catch {
    // No worker is polling, or the run just ended: the recorded steps are what there is.
    return undefined;
  }
}

function notFound(workflowId: string): AppError {
  return new AppError(
    'run_not_found',
    `No run has the id "${workflowId}"; list runs with GET /api/runs.`,
  );
}
