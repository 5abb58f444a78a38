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
