import { WorkflowNotFoundError } from '@temporalio/client';
import type { PlanTrigger } from '../../engine/plan/plan.types.js';
import type { ScheduleArgs } from '../../workflows/schedule.workflow.js';
import type { JourneyVersion } from '../db/journeys.store.js';
import type { Queryable } from '../db/pool.js';
import type { Logger } from '../log/logger.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';

/** What publishing or unpublishing did to a journey's schedule workflow. */
export interface ScheduleSync {
  workflowId: string;
  /** `scheduled`: started or told its new version; `stopped`; `none`: nothing to do; `pending`:
   * Temporal was unreachable, the server's start-up sync will do it. */
  action: 'scheduled' | 'stopped' | 'none' | 'pending';
}

/** The workflow id of a journey's schedule: one per journey, whatever its version. */
export function scheduleWorkflowId(journeyId: string): string {
  return `schedule-${journeyId}`;
}

/**
 * Makes a journey's schedule workflow match its published version: a schedule trigger starts
 * the workflow, or tells the running one its new version (it switches after the firing under
 * way); anything else (unpublished, or another trigger) stops it. Runs already started are not
 * touched either way.
 *
 * @param version - the published version, or `undefined` when none is published
 */
export async function syncSchedule(
  deps: { temporal: TemporalHandle; log: Logger },
  journeyId: string,
  version: Pick<JourneyVersion, 'id' | 'plan'> | undefined,
): Promise<ScheduleSync> {
  const workflowId = scheduleWorkflowId(journeyId);
  const trigger = version?.plan.trigger;
  try {
    if (version !== undefined && trigger?.kind === 'schedule') {
      const args: ScheduleArgs = { journeyId, versionId: version.id, trigger: scheduleOf(trigger) };
      await deps.temporal.client.workflow.signalWithStart('journeySchedule', {
        workflowId,
        taskQueue: deps.temporal.taskQueue,
        args: [args],
        signal: 'replaced',
        signalArgs: [{ versionId: args.versionId, trigger: args.trigger }],
      });
      deps.log.info({ journeyId, versionId: version.id, workflowId }, 'Schedule synced');
      return { workflowId, action: 'scheduled' };
    }
    return await stopSchedule(deps, journeyId);
  } catch (error) {
    deps.log.warn(
      { journeyId, workflowId, errorClass: (error as Error).name },
      'Schedule sync deferred to the next server start',
    );
    return { workflowId, action: 'pending' };
  }
}

/**
 * Starts or updates the schedule workflow of every published journey with a schedule trigger.
 * The server runs this at start-up, so a publish that could not reach Temporal is made good.
 */
export async function syncAllSchedules(deps: {
  pool: Queryable;
  temporal: TemporalHandle;
  log: Logger;
}): Promise<number> {
  const result = await deps.pool.query<{
    journey_id: string;
    id: string;
    plan: JourneyVersion['plan'];
  }>(
    `SELECT v.journey_id, v.id, v.plan FROM journeys j
     JOIN journey_versions v ON v.id = j.published_version_id
     WHERE v.plan -> 'trigger' ->> 'kind' = 'schedule' ORDER BY v.journey_id`,
  );
  for (const row of result.rows) {
    await syncSchedule(deps, row.journey_id, { id: row.id, plan: row.plan });
  }
  return result.rows.length;
}

async function stopSchedule(
  deps: { temporal: TemporalHandle; log: Logger },
  journeyId: string,
): Promise<ScheduleSync> {
  const workflowId = scheduleWorkflowId(journeyId);
  try {
    await deps.temporal.client.workflow
      .getHandle(workflowId)
      .signal('stopped', { reason: 'unpublished' });
    deps.log.info({ journeyId, workflowId }, 'Schedule stopped');
    return { workflowId, action: 'stopped' };
  } catch (error) {
    // Never scheduled, or already ended: nothing runs that could start a run.
    if (error instanceof WorkflowNotFoundError) {
      return { workflowId, action: 'none' };
    }
    throw error;
  }
}

function scheduleOf(trigger: Extract<PlanTrigger, { kind: 'schedule' }>): ScheduleArgs['trigger'] {
  return {
    cron: trigger.cron,
    timeZone: trigger.timeZone,
    segment: trigger.segment,
    batchSize: trigger.batchSize,
    batchIntervalSeconds: trigger.batchIntervalSeconds,
  };
}
