import { randomUUID } from 'node:crypto';
import type { Queryable } from './pool.js';

/** Where one run of a bulk replay stands. */
export type ReplayItemState = 'pending' | 'replayed' | 'skipped' | 'failed';

/** A bulk replay job with its progress. */
export interface ReplayJob {
  id: string;
  filter: Record<string, unknown>;
  onVersion: 'own' | 'newest';
  paceMs: number;
  state: 'running' | 'completed';
  createdAt: string;
  finishedAt: string | null;
  progress: Record<ReplayItemState, number> & { total: number };
}

/** One run's line in a job's report. */
export interface ReplayItem {
  seq: number;
  workflowId: string;
  state: ReplayItemState;
  code: string | null;
  replayRunId: string | null;
  at: string | null;
}

/** Makes a job for the runs a filter matched, all pending. */
export async function createReplayJob(
  db: Queryable,
  job: {
    filter: Record<string, unknown>;
    onVersion: 'own' | 'newest';
    paceMs: number;
    workflowIds: readonly string[];
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO replay_jobs (id, filter, on_version, pace_ms, lease_until)
     VALUES ($1, $2, $3, $4, now() + interval '30 seconds')`,
    [id, JSON.stringify(job.filter), job.onVersion, job.paceMs],
  );
  await db.query(
    `INSERT INTO replay_job_runs (job_id, seq, workflow_id)
     SELECT $1, ordinality::int, workflow_id FROM unnest($2::text[]) WITH ORDINALITY AS t(workflow_id)`,
    [id, job.workflowIds],
  );
  if (job.workflowIds.length === 0) {
    await db.query(
      "UPDATE replay_jobs SET state = 'completed', finished_at = now() WHERE id = $1",
      [id],
    );
  }
  return id;
}

/** A job and its progress, if it exists. */
export async function loadReplayJob(db: Queryable, id: string): Promise<ReplayJob | undefined> {
  const job = await db.query<{
    id: string;
    filter: Record<string, unknown>;
    on_version: 'own' | 'newest';
    pace_ms: number;
    state: 'running' | 'completed';
    created_at: Date;
    finished_at: Date | null;
  }>('SELECT * FROM replay_jobs WHERE id = $1', [id]);
  const row = job.rows[0];
  if (row === undefined) {
    return undefined;
  }
  const counts = await db.query<{ state: ReplayItemState; count: string }>(
    'SELECT state, count(*) AS count FROM replay_job_runs WHERE job_id = $1 GROUP BY state',
    [id],
  );
  const progress = { total: 0, pending: 0, replayed: 0, skipped: 0, failed: 0 };
  for (const count of counts.rows) {
    progress[count.state] = Number(count.count);
    progress.total += Number(count.count);
  }
  return {
    id: row.id,
    filter: row.filter,
    onVersion: row.on_version,
    paceMs: row.pace_ms,
    state: row.state,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    progress,
  };
}

/** A job's report: every run it matched, in order, with its result. */
export async function loadReplayItems(db: Queryable, jobId: string): Promise<ReplayItem[]> {
  const result = await db.query<{
    seq: number;
    workflow_id: string;
    state: ReplayItemState;
    code: string | null;
    replay_run_id: string | null;
    at: Date | null;
  }>('SELECT * FROM replay_job_runs WHERE job_id = $1 ORDER BY seq', [jobId]);
  return result.rows.map((row) => ({
    seq: row.seq,
    workflowId: row.workflow_id,
    state: row.state,
    code: row.code,
    replayRunId: row.replay_run_id,
    at: row.at?.toISOString() ?? null,
  }));
}

/**
 * Takes (or renews) the lease on a running job for `seconds`; `false` when another server
 * holds it. The job's runs are then this server's to replay, one at a time.
 */
export async function leaseReplayJob(
  db: Queryable,
  id: string,
  options: { seconds: number; isRenewal: boolean },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE replay_jobs SET lease_until = now() + make_interval(secs => $2)
     WHERE id = $1 AND state = 'running'
       AND ($3 OR lease_until IS NULL OR lease_until < now())`,
    [id, options.seconds, options.isRenewal],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The next pending run of a job, if any. */
export async function nextReplayItem(
  db: Queryable,
  jobId: string,
): Promise<{ seq: number; workflowId: string } | undefined> {
  const result = await db.query<{ seq: number; workflow_id: string }>(
    "SELECT seq, workflow_id FROM replay_job_runs WHERE job_id = $1 AND state = 'pending' ORDER BY seq LIMIT 1",
    [jobId],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : { seq: row.seq, workflowId: row.workflow_id };
}

/** Records one run's result. */
export async function settleReplayItem(
  db: Queryable,
  item: {
    jobId: string;
    seq: number;
    state: Exclude<ReplayItemState, 'pending'>;
    code?: string;
    replayRunId?: string;
  },
): Promise<void> {
  await db.query(
    `UPDATE replay_job_runs SET state = $3, code = $4, replay_run_id = $5, at = now()
     WHERE job_id = $1 AND seq = $2`,
    [item.jobId, item.seq, item.state, item.code ?? null, item.replayRunId ?? null],
  );
}

/** Marks a job done once no run is pending. */
export async function finishReplayJob(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE replay_jobs SET state = 'completed', finished_at = now(), lease_until = NULL
     WHERE id = $1`,
    [id],
  );
}

/** Running jobs whose lease has lapsed (their server stopped), to be taken over. */
export async function abandonedReplayJobs(db: Queryable): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    "SELECT id FROM replay_jobs WHERE state = 'running' AND (lease_until IS NULL OR lease_until < now())",
  );
  return result.rows.map((row) => row.id);
}
