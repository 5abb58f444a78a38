import type { RunEnd, StepRecord } from '../../engine/interpreter/run-state.js';
import type { Queryable } from './pool.js';

/** Records that a run was started (or confirms it, when a retry starts it again). */
export async function recordRunStarted(
  db: Queryable,
  run: {
    workflowId: string;
    journeyId: string;
    versionId: string;
    eventId: string;
    patientId: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO runs (workflow_id, journey_id, version_id, event_id, patient_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workflow_id) DO NOTHING`,
    [run.workflowId, run.journeyId, run.versionId, run.eventId, run.patientId],
  );
}

/**
 * Records the steps a run took and, when it has ended, how. Idempotent: steps are numbered by
 * their place in the run's trail, so a retried report writes nothing twice.
 */
export async function recordRunProgress(
  db: Queryable,
  workflowId: string,
  steps: ReadonlyArray<StepRecord & { seq: number }>,
  end: RunEnd | null,
): Promise<void> {
  for (const step of steps) {
    await db.query(
      `INSERT INTO run_steps (workflow_id, seq, step_id, kind, outcome, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (workflow_id, seq) DO NOTHING`,
      [workflowId, step.seq, step.stepId, step.kind, step.outcome, step.reason ?? null, step.at],
    );
  }
  if (end !== null) {
    await db.query(
      `UPDATE runs SET status = $2, outcome = $3, reason = $4, ended_at = COALESCE(ended_at, now())
       WHERE workflow_id = $1`,
      [workflowId, end.status, end.outcome, end.reason ?? null],
    );
  }
}

/** Pathwell's record of a run. */
export interface RunRecord {
  workflowId: string;
  journeyId: string;
  versionId: string;
  eventId: string;
  patientId: string;
  status: string;
  outcome: string | null;
  reason: string | null;
  startedAt: string;
  endedAt: string | null;
  replayedAt: string | null;
  replays: number;
}

/** The records of runs by workflow id (those Pathwell has; a run started elsewhere has none). */
export async function loadRuns(
  db: Queryable,
  workflowIds: readonly string[],
): Promise<Map<string, RunRecord>> {
  const result = await db.query<RunRow>('SELECT * FROM runs WHERE workflow_id = ANY($1)', [
    workflowIds,
  ]);
  return new Map(result.rows.map((row) => [row.workflow_id, toRunRecord(row)]));
}

/** The steps Pathwell recorded for a run, in order. */
export async function loadRunSteps(
  db: Queryable,
  workflowId: string,
): Promise<Array<StepRecord & { seq: number }>> {
  const result = await db.query<{
    seq: number;
    step_id: string;
    kind: StepRecord['kind'];
    outcome: string;
    reason: string | null;
    at: Date;
  }>('SELECT * FROM run_steps WHERE workflow_id = $1 ORDER BY seq', [workflowId]);
  return result.rows.map((row) => ({
    seq: row.seq,
    stepId: row.step_id,
    kind: row.kind,
    outcome: row.outcome,
    ...(row.reason === null ? {} : { reason: row.reason }),
    at: row.at.toISOString(),
  }));
}

/**
 * Marks a run as replayed from now, and pins it to the version the replay runs on. Its end is
 * cleared: the replay records its own.
 */
export async function recordRunReplayed(
  db: Queryable,
  workflowId: string,
  versionId: string,
): Promise<void> {
  await db.query(
    `UPDATE runs SET replayed_at = now(), replays = replays + 1, version_id = $2,
       status = 'running', outcome = NULL, reason = NULL, ended_at = NULL
     WHERE workflow_id = $1`,
    [workflowId, versionId],
  );
}

interface RunRow {
  workflow_id: string;
  journey_id: string;
  version_id: string;
  event_id: string;
  patient_id: string;
  status: string;
  outcome: string | null;
  reason: string | null;
  started_at: Date;
  ended_at: Date | null;
  replayed_at: Date | null;
  replays: number;
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    workflowId: row.workflow_id,
    journeyId: row.journey_id,
    versionId: row.version_id,
    eventId: row.event_id,
    patientId: row.patient_id,
    status: row.status,
    outcome: row.outcome,
    reason: row.reason,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    replayedAt: row.replayed_at?.toISOString() ?? null,
    replays: row.replays,
  };
}

/** Undoes {@link recordRunReplayed} when the replay could not be started. */
export async function undoRunReplayed(
  db: Queryable,
  workflowId: string,
  before: Pick<RunRecord, 'replayedAt' | 'versionId'>,
): Promise<void> {
  await db.query(
    'UPDATE runs SET replayed_at = $2, replays = replays - 1, version_id = $3 WHERE workflow_id = $1',
    [workflowId, before.replayedAt, before.versionId],
  );
}
