import { ApplicationFailure, Context } from '@temporalio/activity';
import { isAppError } from '../engine/errors/app-error.js';
import type { ActivityDeps } from './activity-deps.js';
import { loadPatientFacts } from './load-patient-facts.js';
import { recordRunEnd } from './record-run-end.js';
import { sendEmail } from './send/send-email.js';

/**
 * The activities of a journey run, bound to their dependencies. The worker registers what this
 * returns; the workflow imports its type only, so a mismatch fails to compile.
 */
export function createActivities(deps: ActivityDeps): JourneyActivities {
  return {
    loadPatientFacts: failuresTyped((input: Parameters<typeof loadPatientFacts>[1]) =>
      loadPatientFacts(deps, input),
    ),
    sendEmail: failuresTyped(
      heartbeating((input: Parameters<typeof sendEmail>[1]) => sendEmail(deps, input)),
    ),
    recordRunEnd: failuresTyped((input: Parameters<typeof recordRunEnd>[1]) =>
      recordRunEnd(deps, input),
    ),
  };
}

/** The activities a journey workflow can call. */
export interface JourneyActivities {
  loadPatientFacts: (
    input: Parameters<typeof loadPatientFacts>[1],
  ) => ReturnType<typeof loadPatientFacts>;
  sendEmail: (input: Parameters<typeof sendEmail>[1]) => ReturnType<typeof sendEmail>;
  recordRunEnd: (input: Parameters<typeof recordRunEnd>[1]) => ReturnType<typeof recordRunEnd>;
}

/**
 * Turns an AppError into an ApplicationFailure whose `type` is the error code, so workflows
 * branch on codes and Temporal's retry policy knows `user` errors are not worth retrying.
 * Other errors pass through unchanged and are retried.
 */
export function failuresTyped<TInput, TOutput>(
  activity: (input: TInput) => Promise<TOutput>,
): (input: TInput) => Promise<TOutput> {
  return async (input: TInput): Promise<TOutput> => {
    try {
      return await activity(input);
    } catch (error) {
      if (isAppError(error)) {
        throw ApplicationFailure.create({
          type: error.code,
          message: error.message,
          nonRetryable: error.kind === 'user' || error.kind === 'unexpected',
          cause: error,
        });
      }
      throw error;
    }
  };
}

// Sends heartbeat while they wait on an SMTP peer, so a worker that dies mid-send is noticed
// within the heartbeat timeout rather than the two-minute start-to-close timeout.
const HEARTBEAT_EVERY_MS = 2_000;

function heartbeating<TInput, TOutput>(
  activity: (input: TInput) => Promise<TOutput>,
): (input: TInput) => Promise<TOutput> {
  return async (input: TInput): Promise<TOutput> => {
    const context = Context.current();
    context.heartbeat();
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await activity(input);
    } finally {
      clearInterval(timer);
    }
  };
}
