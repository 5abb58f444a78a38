import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { JourneyActivities } from '../activities/create-activities.js';
import type { CareEvent } from '../engine/events/care-event.js';
import {
  afterSend,
  decide,
  withCancel,
  withEvent,
  withPatient,
} from '../engine/interpreter/interpret.js';
import {
  initialRunState,
  type RunEnd,
  type RunInput,
  type RunState,
  type StepRecord,
} from '../engine/interpreter/run-state.js';
import { runFailure } from './run-failure.js';
import { RUN_STATUS } from './run-search-attributes.js';

/** A new time for the subject (an appointment moved): pending waits are recomputed. */
export const rescheduledSignal = defineSignal<[CareEvent]>('rescheduled');
/** The subject was cancelled, or an operator cancelled the run: no further sends. */
export const cancelledSignal = defineSignal<[{ reason: string }]>('cancelled');
/** Any other event about the subject, for `wait.event` steps. */
export const patientEventSignal = defineSignal<[CareEvent]>('patientEvent');

/** Where a run is: its current step and the steps it has taken. */
export interface RunStatus {
  at: string | null;
  steps: StepRecord[];
  ended: RunEnd | null;
  /** The instant the run sleeps until, as the interpreter computed it, while it waits. */
  waitingUntil: string | null;
}

/** Where a run is. */
export const statusQuery = defineQuery<RunStatus>('status');

/** What a run returns when it ends. */
export interface RunResult extends RunEnd {
  steps: StepRecord[];
}

/** A run's arguments; `resume` carries the state across continue-as-new. */
export interface JourneyRunArgs {
  input: RunInput;
  resume?: { state: RunState; recorded: number };
  /** History length at which a waiting run continues as new; lower only in tests. */
  continueAsNewAtEvents?: number;
}

const { loadPatientFacts } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
});

// SMTP peers defer for minutes at a time; the backoff reaches ten minutes between attempts and
// gives up after about three hours, which fails the run where operators see it.
const { sendEmail } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '2 minutes',
  // The activity heartbeats every 2 s: a worker killed mid-send is noticed in 10 s.
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 25,
  },
});

const { recordRunEnd } = proxyLocalActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

// Well under Temporal's 50k-event limit and its 50 MB history warning; runs that wait for
// events a long time stay small and cheap to replay.
const CONTINUE_AS_NEW_AT_EVENTS = 4_000;

/**
 * One run of one journey version for one subject. It only drives the engine's interpreter:
 * every decision is `decide`, every side effect an activity, every clock reading Temporal's
 * deterministic workflow time.
 */
export async function journeyRun(args: JourneyRunArgs): Promise<RunResult> {
  const { input } = args;
  let state = args.resume?.state ?? initialRunState(input);
  let recorded = args.resume?.recorded ?? 0;
  let changes = 0;
  let waitingUntil: string | null = null;
  const continueAsNewAt = args.continueAsNewAtEvents ?? CONTINUE_AS_NEW_AT_EVENTS;

  setHandler(rescheduledSignal, (event) => {
    state = withEvent(state, { ...event, type: 'appointment.rescheduled' });
    changes += 1;
  });
  setHandler(cancelledSignal, ({ reason }) => {
    state = withCancel(state, reason);
    changes += 1;
  });
  setHandler(patientEventSignal, (event) => {
    state = withEvent(state, event);
    changes += 1;
  });
  setHandler(statusQuery, () => ({
    at: state.at,
    steps: state.trail,
    ended: state.ended,
    waitingUntil,
  }));

  const unrecorded = () => ({ firstSeq: recorded, steps: state.trail.slice(recorded) });
  // An activity that gave up fails the run at its step, with what a replay resumes from.
  const failingAt = async <T>(call: () => Promise<T>): Promise<T> => {
    const before = { stepId: state.at, state, recorded };
    try {
      return await call();
    } catch (error) {
      throw runFailure(error, input.journeyId, before);
    }
  };

  for (;;) {
    const decision = decide(input, state, now());
    state = decision.state;
    const command = decision.command;

    switch (command.kind) {
      case 'load_patient': {
        const facts = await failingAt(() =>
          loadPatientFacts({ patientId: input.event.patientId, fields: input.plan.patientFields }),
        );
        state = withPatient(state, facts);
        break;
      }
      case 'send': {
        const progress = unrecorded();
        const report = await failingAt(() =>
          sendEmail({
            workflowId: workflowInfo().workflowId,
            journeyId: input.journeyId,
            versionId: input.versionId,
            stepId: command.stepId,
            eventId: state.event.id,
            patientId: input.event.patientId,
            progress,
          }),
        );
        recorded = progress.firstSeq + progress.steps.length;
        state = afterSend(input, state, report, now());
        break;
      }
      case 'sleep':
      case 'await_event': {
        if (
          workflowInfo().continueAsNewSuggested ||
          workflowInfo().historyLength > continueAsNewAt
        ) {
          return continueAsNew<typeof journeyRun>({
            input,
            resume: { state, recorded },
            ...(args.continueAsNewAtEvents === undefined
              ? {}
              : { continueAsNewAtEvents: args.continueAsNewAtEvents }),
          });
        }
        const seen = changes;
        waitingUntil = command.until;
        await condition(
          () => changes !== seen,
          Math.max(1, Date.parse(command.until) - Date.now()),
        );
        waitingUntil = null;
        break;
      }
      case 'finish': {
        // Lets operators list completed and cancelled runs apart; older histories lack it.
        if (patched('run-status-search-attribute')) {
          upsertSearchAttributes([{ key: RUN_STATUS, value: command.end.status }]);
        }
        await recordRunEnd({
          workflowId: workflowInfo().workflowId,
          ...unrecorded(),
          end: command.end,
        });
        log.info('Run ended', { journeyId: input.journeyId, outcome: command.end.outcome });
        return { ...command.end, steps: state.trail };
      }
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
