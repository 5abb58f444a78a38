import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '../../engine/errors/app-error.js';
import { errorFacts } from '../log/logger.js';
import {
  abandonedReplayJobs,
  createReplayJob,
  finishReplayJob,
  leaseReplayJob,
  loadReplayJob,
  nextReplayItem,
  settleReplayItem,
} from '../db/replay-jobs.store.js';
import { listRuns, type RunSummary } from './list-runs.js';
import type { RunFilter } from './run-filter.js';
import { type ReplayDeps, type ReplayVersion, replayRun } from './replay-run.js';

/** What a bulk replay is asked for. */
export interface BulkReplayRequest {
  filter: RunFilter;
  on: ReplayVersion;
  /** Pause between two replays, so a large batch does not flood the workers and the relay. */
  paceMs: number;
  /** The most runs one job takes. */
  limit: number;
}

const LEASE_SECONDS = 30;

/** The failed runs a filter matches (the status is always `failed`), up to `limit`. */
export async function matchFailedRuns(
  deps: ReplayDeps,
  filter: RunFilter,
  limit: number,
): Promise<RunSummary[]> {
  const matched: RunSummary[] = [];
  let pageToken: string | undefined;
  do {
    const page = await listRuns(
      deps,
      { ...filter, status: 'failed' },
      { pageSize: Math.min(200, limit), pageToken },
    );
    matched.push(...page.runs);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken !== undefined && matched.length < limit);
  return matched.slice(0, limit);
}

/**
 * Makes a job of the failed runs a filter matches and starts replaying them in the background,
 * one at a time with the pace between; progress and report are read from the job.
 */
export async function startBulkReplay(
  deps: ReplayDeps,
  request: BulkReplayRequest,
): Promise<{ jobId: string; total: number }> {
  const runs = await matchFailedRuns(deps, request.filter, request.limit);
  const jobId = await createReplayJob(deps.pool, {
    filter: request.filter,
    onVersion: request.on,
    paceMs: request.paceMs,
    workflowIds: runs.map((run) => run.workflowId),
  });
  deps.log.info({ jobId, total: runs.length }, 'Bulk replay started');
  void workOn(deps, jobId, { on: request.on, paceMs: request.paceMs }, true);
  return { jobId, total: runs.length };
}

/** Takes over running jobs whose server stopped (their lease lapsed); returns how many. */
export async function resumeBulkReplays(deps: ReplayDeps): Promise<number> {
  const ids = await abandonedReplayJobs(deps.pool);
  for (const id of ids) {
    const job = await loadReplayJob(deps.pool, id);
    if (job !== undefined) {
      void workOn(deps, id, { on: job.onVersion, paceMs: job.paceMs }, false);
    }
  }
  return ids.length;
}

async function workOn(
  deps: ReplayDeps,
  jobId: string,
  settings: { on: ReplayVersion; paceMs: number },
  isLeased: boolean,
): Promise<void> {
  try {
    if (
      !(await leaseReplayJob(deps.pool, jobId, { seconds: LEASE_SECONDS, isRenewal: isLeased }))
    ) {
      return;
    }
    for (;;) {
      const item = await nextReplayItem(deps.pool, jobId);
      if (item === undefined) {
        await finishReplayJob(deps.pool, jobId);
        deps.log.info({ jobId }, 'Bulk replay finished');
        return;
      }
      await replayOne(deps, { jobId, ...item }, settings.on);
      await leaseReplayJob(deps.pool, jobId, { seconds: LEASE_SECONDS, isRenewal: true });
      await sleep(settings.paceMs);
    }
  } catch (error) {
    // The lease lapses and the next server start takes the job over.
    deps.log.error({ jobId, ...errorFacts(error) }, 'Bulk replay stopped');
  }
}

async function replayOne(
  deps: ReplayDeps,
  item: { jobId: string; seq: number; workflowId: string },
  on: ReplayVersion,
): Promise<void> {
  try {
    const started = await replayRun(deps, item.workflowId, on);
    await settleReplayItem(deps.pool, { ...item, state: 'replayed', replayRunId: started.runId });
  } catch (error) {
    if (isAppError(error) && error.code === 'run_not_failed') {
      // Replayed by hand meanwhile, or no longer failed: nothing to do.
      await settleReplayItem(deps.pool, { ...item, state: 'skipped', code: error.code });
      return;
    }
    const code = isAppError(error) ? error.code : 'internal_error';
    deps.log.warn({ jobId: item.jobId, workflowId: item.workflowId, code }, 'Run not replayed');
    await settleReplayItem(deps.pool, { ...item, state: 'failed', code });
  }
}
