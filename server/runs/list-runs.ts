import { AppError } from '../../engine/errors/app-error.js';
import type { Queryable } from '../db/pool.js';
import { loadRuns, type RunRecord } from '../db/runs.store.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';
import { type RunFilter, type RunStatusName, visibilityQuery } from './run-filter.js';
import { type RunExecution, runExecutionOf, runStatusOf } from './visibility.js';

/** One run in a list: Temporal's view joined with Pathwell's record. Opaque ids only. */
export interface RunSummary {
  workflowId: string;
  runId: string;
  journeyId: string | null;
  versionId: string | null;
  patientId: string | null;
  status: RunStatusName;
  outcome: string | null;
  reason: string | null;
  failureType: string | null;
  failedNode: string | null;
  startedAt: string | null;
  closedAt: string | null;
  replays: number;
}

/** What listing runs reads. */
export interface ListRunsDeps {
  pool: Queryable;
  temporal: TemporalHandle;
}

/** A page of runs. */
export interface RunPage {
  runs: RunSummary[];
  /** Pass it back as `pageToken` for the next page; `null` on the last page. */
  nextPageToken: string | null;
}

/**
 * Lists runs from Temporal visibility (newest first) with the filter's search attributes, and
 * joins Pathwell's run records. Executions a replay superseded are left out, so a page can
 * hold fewer runs than asked for.
 */
export async function listRuns(
  deps: ListRunsDeps,
  filter: RunFilter,
  page: { pageSize: number; pageToken?: string | undefined },
): Promise<RunPage> {
  const response = await deps.temporal.connection.workflowService.listWorkflowExecutions({
    namespace: deps.temporal.client.options.namespace,
    query: visibilityQuery(filter, deps.temporal.taskQueue),
    pageSize: page.pageSize,
    nextPageToken: tokenBytes(page.pageToken),
  });
  const executions = (response.executions ?? []).map(runExecutionOf);
  const records = await loadRuns(
    deps.pool,
    executions.map((execution) => execution.workflowId),
  );
  const runs = executions
    .filter((execution) => !isSuperseded(execution, records.get(execution.workflowId)))
    .map((execution) => runSummaryOf(execution, records.get(execution.workflowId)));
  const next = response.nextPageToken;
  return {
    runs,
    nextPageToken: next && next.length > 0 ? Buffer.from(next).toString('base64url') : null,
  };
}

/** Joins an execution with Pathwell's record of the run. */
export function runSummaryOf(execution: RunExecution, record: RunRecord | undefined): RunSummary {
  const status = runStatusOf(execution);
  const hasEnded = status === 'completed' || status === 'cancelled';
  const { attributes } = execution;
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    journeyId: attributes.PathwellJourneyId ?? record?.journeyId ?? null,
    versionId: attributes.PathwellVersionId ?? record?.versionId ?? null,
    patientId: attributes.PathwellPatientId ?? record?.patientId ?? null,
    status,
    outcome: hasEnded ? (record?.outcome ?? null) : null,
    reason: hasEnded ? (record?.reason ?? null) : null,
    failureType:
      status === 'failed' ? (attributes.PathwellFailureType ?? failureTypeOf(execution)) : null,
    failedNode: status === 'failed' ? (attributes.PathwellFailedNode ?? null) : null,
    startedAt: execution.startedAt,
    closedAt: execution.closedAt,
    replays: record?.replays ?? 0,
  };
}

/** Whether a replay started after this execution (which then only shows the past). */
export function isSuperseded(execution: RunExecution, record: RunRecord | undefined): boolean {
  return (
    record?.replayedAt !== null &&
    record?.replayedAt !== undefined &&
    execution.startedAt !== null &&
    execution.startedAt < record.replayedAt
  );
}

// A failed run without a failure type failed in the worker, not at a step: non-determinism
// (the only workflow-task error that fails a run besides an AppError) or a timeout.
function failureTypeOf(execution: RunExecution): string {
  return execution.temporalStatus === 'TimedOut' ? 'run_timed_out' : 'nondeterminism';
}

function tokenBytes(token: string | undefined): Uint8Array | undefined {
  if (token === undefined) {
    return undefined;
  }
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length === 0) {
    throw new AppError('request_invalid', 'The pageToken is not one this API gave out.');
  }
  return bytes;
}
