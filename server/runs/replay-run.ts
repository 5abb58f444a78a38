import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { AppError } from '../../engine/errors/app-error.js';
import {
  initialRunState,
  type RunInput,
  type RunState,
} from '../../engine/interpreter/run-state.js';
import type { Keyring } from '../crypto/keyring.js';
import { findJourney } from '../db/journey-drafts.store.js';
import { loadEvent } from '../db/inbox.store.js';
import { type JourneyVersion, loadVersion } from '../db/journeys.store.js';
import type { Queryable } from '../db/pool.js';
import { loadRunSteps, loadRuns, recordRunReplayed, undoRunReplayed } from '../db/runs.store.js';
import { runSearchAttributes } from '../ingest/run-search-attributes.js';
import { runInputOf } from '../ingest/start-run.js';
import type { Logger } from '../log/logger.js';
import type { FailedRunDetails } from '../../workflows/failed-run.js';
import { readRunFailure } from './run-failure-info.js';
import { describeRun, type RunReadDeps } from './run-timeline.js';
import { runStatusOf } from './visibility.js';

/** Which version a replay runs on. */
export type ReplayVersion = 'own' | 'newest';

/** What a replay started. */
export interface ReplayStarted {
  workflowId: string;
  runId: string;
  versionId: string;
  /** The step it resumes at; the plan's entry when the failure left no step. */
  fromStep: string | null;
  mode: 'from_failed_step' | 'from_start';
}

/** What replaying needs. */
export interface ReplayDeps extends RunReadDeps {
  pool: Queryable;
  keyring: Keyring;
  log: Logger;
  orgTimeZone: string;
}

/**
 * Replays a failed run under its own workflow id, so the delivery ledger (keyed by workflow
 * id and step) still holds what the SMTP peer accepted and nothing accepted is sent again.
 * It resumes at the failed step with the state the run had there; a run that failed outside
 * its steps (non-determinism) starts again at the plan's entry, its sends then found in the
 * ledger. On `newest`, the step is looked up by node id in the newest published version.
 */
export async function replayRun(
  deps: ReplayDeps,
  workflowId: string,
  on: ReplayVersion,
): Promise<ReplayStarted> {
  const execution = await describeRun(deps, workflowId);
  const status = runStatusOf(execution);
  if (status !== 'failed') {
    throw new AppError(
      'run_not_failed',
      `Run "${workflowId}" is ${status}; only a failed run can be replayed.`,
    );
  }
  const record = (await loadRuns(deps.pool, [workflowId])).get(workflowId);
  const event =
    record === undefined ? undefined : await loadEvent(deps.pool, deps.keyring, record.eventId);
  if (record === undefined || event === undefined) {
    throw new AppError(
      'run_not_found',
      `Pathwell has no record of run "${workflowId}" to replay it from.`,
    );
  }
  const { details } = await readRunFailure(deps.temporal, workflowId, execution.runId);
  const version = await versionFor(deps.pool, record, on, details?.stepId ?? null);
  const input = runInputOf(version, event, deps.orgTimeZone);
  const resume =
    details === undefined ? await fromStart(deps.pool, input, workflowId) : fromStep(details);

  await recordRunReplayed(deps.pool, workflowId, version.id);
  let runId: string;
  try {
    runId = await startReplay(deps, workflowId, { input, resume });
  } catch (error) {
    // The failed execution must stay listed as failed when no replay started.
    await undoRunReplayed(deps.pool, workflowId, record);
    throw error;
  }
  deps.log.info(
    { workflowId, journeyId: version.journeyId, versionId: version.id, fromStep: resume.state.at },
    'Run replayed',
  );
  return {
    workflowId,
    runId,
    versionId: version.id,
    fromStep: resume.state.at,
    mode: details === undefined ? 'from_start' : 'from_failed_step',
  };
}

async function versionFor(
  db: Queryable,
  record: { journeyId: string; versionId: string },
  on: ReplayVersion,
  failedStep: string | null,
): Promise<JourneyVersion> {
  const versionId =
    on === 'own'
      ? record.versionId
      : ((await findJourney(db, record.journeyId))?.publishedVersion?.id ?? record.versionId);
  const version = await loadVersion(db, versionId);
  if (version === undefined) {
    throw new AppError('version_not_found', `Version "${versionId}" of the run is missing.`);
  }
  if (failedStep !== null && version.plan.steps[failedStep] === undefined) {
    throw new AppError(
      'replay_step_missing',
      `Version "${version.id}" has no step "${failedStep}"; replay on the run's own version, or publish a version that keeps that node id.`,
    );
  }
  return version;
}

function fromStep(details: FailedRunDetails): { state: RunState; recorded: number } {
  return {
    state: { ...details.state, at: details.stepId ?? details.state.at },
    recorded: details.recorded,
  };
}

// The steps recorded before the failure stay in the trail, so the timeline keeps them and the
// replay's own steps are numbered after them.
// TODO: a run failed by non-determinism restarts at the plan's entry, so its waits are waited
// again (a wait.duration from the replay's start); only the ledger keeps its sends from
// repeating. Resuming at its step needs the state the worker could not report; recording each
// step's state as the run goes (the send activity's progress report) would remove this.
async function fromStart(
  db: Queryable,
  input: RunInput,
  workflowId: string,
): Promise<{ state: RunState; recorded: number }> {
  const steps = await loadRunSteps(db, workflowId);
  const trail = steps.map(({ seq: _seq, ...step }) => step);
  return { state: { ...initialRunState(input), trail }, recorded: trail.length };
}

async function startReplay(
  deps: ReplayDeps,
  workflowId: string,
  args: { input: RunInput; resume: { state: RunState; recorded: number } },
): Promise<string> {
  try {
    const handle = await deps.temporal.client.workflow.start('journeyRun', {
      workflowId,
      taskQueue: deps.temporal.taskQueue,
      args: [args],
      // Only a failed (or terminated) run's id may be reused: never a completed run's.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: runSearchAttributes(args.input),
    });
    return handle.firstExecutionRunId;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError(
        'run_not_failed',
        `Run "${workflowId}" was replayed already and is running again.`,
        { cause: error },
      );
    }
    throw error;
  }
}
