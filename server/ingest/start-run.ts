import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { RunInput } from '../../engine/interpreter/run-state.js';
import type { RunDispatch } from '../db/inbox.store.js';
import type { JourneyVersion } from '../db/journeys.store.js';
import type { Queryable } from '../db/pool.js';
import { recordRunStarted } from '../db/runs.store.js';
import type { Logger } from '../log/logger.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';
import { runSearchAttributes } from './run-search-attributes.js';
import { workflowIdFor } from './workflow-id.js';

/** What starting a run needs. */
export interface StartRunDeps {
  pool: Queryable;
  temporal: TemporalHandle;
  orgTimeZone: string;
  log: Logger;
}

/**
 * Starts the run of a journey version for an event that is already in the inbox, pinned to
 * that version. Safe to repeat: the workflow id is derived from journey and subject, so a
 * second start finds the first run and starts nothing.
 *
 * @returns the run started, or `undefined` when one already exists for the subject
 * @throws when Temporal cannot be reached
 */
export async function startRun(
  deps: StartRunDeps,
  version: Pick<JourneyVersion, 'id' | 'journeyId' | 'planHash' | 'plan'>,
  event: CareEvent,
): Promise<RunDispatch | undefined> {
  const workflowId = workflowIdFor(version.journeyId, event);
  const input = runInputOf(version, event, deps.orgTimeZone);
  await recordRunStarted(deps.pool, {
    workflowId,
    journeyId: version.journeyId,
    versionId: version.id,
    eventId: event.id,
    patientId: event.patientId,
  });

  try {
    await deps.temporal.client.workflow.start('journeyRun', {
      workflowId,
      taskQueue: deps.temporal.taskQueue,
      args: [{ input }],
      // Even after a run has closed, its id is never reused: one subject, one run per journey.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: runSearchAttributes(input),
    });
    deps.log.info(
      { workflowId, journeyId: version.journeyId, versionId: version.id },
      'Run started',
    );
    return { journeyId: version.journeyId, versionId: version.id, workflowId, action: 'started' };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      deps.log.info(
        { workflowId, journeyId: version.journeyId },
        'Run already exists for this subject',
      );
      return undefined;
    }
    throw error;
  }
}

/** The input of a run of `version` for `event`: the version pinned by id, hash and plan. */
export function runInputOf(
  version: Pick<JourneyVersion, 'id' | 'journeyId' | 'planHash' | 'plan'>,
  event: CareEvent,
  orgTimeZone: string,
): RunInput {
  return {
    journeyId: version.journeyId,
    versionId: version.id,
    planHash: version.planHash,
    plan: version.plan,
    event,
    orgTimeZone,
  };
}
