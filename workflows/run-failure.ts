import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  log,
  TimeoutFailure,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { type FailedRunDetails, RUN_STEP_FAILED } from './failed-run.js';
import { FAILED_NODE, FAILURE_TYPE } from './run-search-attributes.js';

/**
 * Turns an activity that gave up (retries exhausted, or a non-retryable error) into the run's
 * failure: the run fails where operators see it, instead of hanging, with its failed step and
 * failure type as search attributes and an error-level log line (an operator must act).
 */
export function runFailure(
  error: unknown,
  journeyId: string,
  details: Omit<FailedRunDetails, 'failureType'>,
): Error {
  if (isCancellation(error) || !(error instanceof ActivityFailure)) {
    return error instanceof Error ? error : new Error('Run failed');
  }
  const failureType = failureTypeOf(error);
  const failedNode = details.stepId ?? 'unknown';
  upsertSearchAttributes([
    { key: FAILURE_TYPE, value: failureType },
    { key: FAILED_NODE, value: failedNode },
  ]);
  log.error('Run failed', {
    journeyId,
    failureType,
    failedNode,
  });
  return ApplicationFailure.create({
    type: RUN_STEP_FAILED,
    message: `Step "${failedNode}" failed (${failureType}); fix the cause, then replay the run.`,
    nonRetryable: true,
    details: [{ ...details, failureType } satisfies FailedRunDetails],
    cause: error,
  });
}

// Error codes and class names only: an activity's own message can quote an address.
function failureTypeOf(error: ActivityFailure): string {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.type) {
    return cause.type;
  }
  if (cause instanceof TimeoutFailure) {
    return 'activity_timeout';
  }
  return 'activity_failed';
}
