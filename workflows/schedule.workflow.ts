import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ScheduleActivities } from '../activities/schedule/create-schedule-activities.js';
import type { RuleGroup } from '../engine/journey/rules.schema.js';
import { parseCron } from '../engine/schedule/cron.js';
import { nextFiring } from '../engine/schedule/next-firing.js';

/** A schedule trigger as its workflow runs it. */
export interface ScheduleTrigger {
  cron: string;
  timeZone: string;
  segment: RuleGroup;
  batchSize: number;
  batchIntervalSeconds: number;
}

/** A schedule workflow's arguments; the firing fields carry it across continue-as-new. */
export interface ScheduleArgs {
  journeyId: string;
  versionId: string;
  trigger: ScheduleTrigger;
  /** The last firing fanned out; the next one is after it (and after now). */
  lastFiring?: string;
  /** A firing whose fan-out was under way when the workflow continued as new. */
  resume?: { firing: string; cursor: string | null; started: number };
}

/** Publishing a new version of the journey: the schedule switches to it after this firing. */
export const replacedSignal =
  defineSignal<[{ versionId: string; trigger: ScheduleTrigger }]>('replaced');
/** Unpublishing: no further firing or batch starts. */
export const stoppedSignal = defineSignal<[{ reason: string }]>('stopped');

/** Where a schedule is. */
export interface ScheduleStatus {
  versionId: string;
  lastFiring: string | null;
  /** The instant the workflow sleeps until, as the engine computed it. */
  nextFiring: string | null;
  firing: { at: string; started: number } | null;
}

/** Where a schedule is. */
export const scheduleStatusQuery = defineQuery<ScheduleStatus>('scheduleStatus');

/** How a schedule workflow ended. */
export interface ScheduleResult {
  outcome: 'stopped' | 'never_fires';
  lastFiring: string | null;
}

const { fanOutBatch } = proxyActivities<ScheduleActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 50,
  },
});

const CONTINUE_AS_NEW_AT_EVENTS = 4_000;

/**
 * The schedule of one journey with a schedule trigger: sleeps on a durable timer until the next
 * firing the engine computes (one per scheduled local time, DST days included), then starts one
 * run per patient of the segment in paced batches, then continues as new, so history holds one
 * firing at most. Firings a stopped worker missed are not made up, except the one it was
 * sleeping towards, which fires late.
 */
export async function journeySchedule(args: ScheduleArgs): Promise<ScheduleResult> {
  let replacement: { versionId: string; trigger: ScheduleTrigger } | undefined;
  let isStopped = false;
  let status: ScheduleStatus = {
    versionId: args.versionId,
    lastFiring: args.lastFiring ?? null,
    nextFiring: null,
    firing: null,
  };
  setHandler(replacedSignal, (next) => {
    replacement = next.versionId === args.versionId ? replacement : next;
  });
  setHandler(stoppedSignal, ({ reason }) => {
    isStopped = true;
    log.info('Schedule stopping', { journeyId: args.journeyId, reason });
  });
  setHandler(scheduleStatusQuery, () => status);

  let firing = args.resume?.firing;
  if (firing === undefined) {
    const parsed = parseCron(args.trigger.cron);
    const after = latest(args.lastFiring, new Date().toISOString());
    const next = parsed.ok ? nextFiring(parsed.schedule, args.trigger.timeZone, after) : undefined;
    if (next === undefined) {
      return { outcome: 'never_fires', lastFiring: status.lastFiring };
    }
    status = { ...status, nextFiring: next };
    await condition(
      () => isStopped || replacement !== undefined,
      Math.max(1, Date.parse(next) - Date.now()),
    );
    if (isStopped) {
      return { outcome: 'stopped', lastFiring: status.lastFiring };
    }
    if (replacement !== undefined) {
      return continueAsNew<typeof journeySchedule>({ ...args, ...replacement });
    }
    firing = next;
  }

  let cursor = args.resume?.cursor ?? null;
  let started = args.resume?.started ?? 0;
  status = { ...status, nextFiring: null, firing: { at: firing, started } };
  for (;;) {
    const batch = await fanOutBatch({
      journeyId: args.journeyId,
      versionId: args.versionId,
      firing,
      after: cursor,
      limit: args.trigger.batchSize,
    });
    started += batch.started;
    cursor = batch.nextCursor;
    status = { ...status, firing: { at: firing, started } };
    if (cursor === null || isStopped) {
      break;
    }
    if (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > CONTINUE_AS_NEW_AT_EVENTS
    ) {
      return continueAsNew<typeof journeySchedule>({
        ...args,
        resume: { firing, cursor, started },
      });
    }
    // Paced: sends of one campaign reach SMTP peers (and patients' inboxes) a batch at a time.
    if (args.trigger.batchIntervalSeconds > 0) {
      await condition(() => isStopped, args.trigger.batchIntervalSeconds * 1_000);
    }
    if (isStopped) {
      break;
    }
  }

  log.info('Schedule fired', { journeyId: args.journeyId, started });
  if (isStopped) {
    return { outcome: 'stopped', lastFiring: firing };
  }
  return continueAsNew<typeof journeySchedule>({
    journeyId: args.journeyId,
    ...(replacement ?? { versionId: args.versionId, trigger: args.trigger }),
    lastFiring: firing,
  });
}

function latest(a: string | undefined, b: string): string {
  return a !== undefined && Date.parse(a) > Date.parse(b) ? a : b;
}
