import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { ERROR_CODES } from '../../engine/errors/codes.js';
import { type FailedRunDetails, RUN_STEP_FAILED } from '../../workflows/failed-run.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';

/** Why a run failed, as the timeline shows it. */
export interface RunFailureInfo {
  /** The failure type: an error code, `nondeterminism`, `activity_timeout`, … */
  type: string;
  failedNode: string | null;
  message: string;
  /** What the step's last attempt failed with; a message only for Pathwell's own codes. */
  cause: { type: string | null; message: string | null } | null;
}

/** A failed execution's failure, and what the workflow left for a replay (if it could). */
export async function readRunFailure(
  temporal: TemporalHandle,
  workflowId: string,
  runId: string,
): Promise<{ info: RunFailureInfo; details: FailedRunDetails | undefined }> {
  try {
    await temporal.client.workflow.getHandle(workflowId, runId, { followRuns: false }).result();
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      return failureOf(error);
    }
    throw error;
  }
  return {
    info: { type: 'unknown', failedNode: null, message: 'The run did not fail.', cause: null },
    details: undefined,
  };
}

function failureOf(error: WorkflowFailedError): {
  info: RunFailureInfo;
  details: FailedRunDetails | undefined;
} {
  const failure = error.cause;
  if (failure instanceof ApplicationFailure && failure.type === RUN_STEP_FAILED) {
    const details = failure.details?.[0] as FailedRunDetails | undefined;
    const last = failure.cause instanceof ActivityFailure ? failure.cause.cause : failure.cause;
    return {
      info: {
        type: details?.failureType ?? 'activity_failed',
        failedNode: details?.stepId ?? null,
        message: failure.message,
        cause: causeOf(last),
      },
      details,
    };
  }
  // Failed in the worker (non-determinism, an AppError in workflow code) or timed out: no step
  // is known, and a replay starts again from the plan's entry.
  // Core reports non-determinism as a failure without a type, named in its message (TMPRL1100).
  const type = failure instanceof ApplicationFailure ? (failure.type ?? '') : '';
  const isNondeterminism = /nondetermin|TMPRL1100/i.test(`${type} ${failure?.message ?? ''}`);
  return {
    info: {
      type: isNondeterminism ? 'nondeterminism' : type || 'workflow_failed',
      failedNode: null,
      message:
        'The run failed outside its steps (the workflow code or its history); fix the cause, then replay it from the start.',
      cause: causeOf(failure),
    },
    details: undefined,
  };
}

function causeOf(error: unknown): RunFailureInfo['cause'] {
  if (!(error instanceof Error)) {
    return null;
  }
  const type = error instanceof ApplicationFailure ? (error.type ?? null) : error.name;
  // Foreign errors can quote an address in their message; Pathwell's never carry PHI.
  const isOwnCode = type !== null && type in ERROR_CODES;
  return { type, message: isOwnCode ? error.message : null };
}
