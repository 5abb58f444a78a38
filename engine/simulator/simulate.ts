import { DateTime } from 'luxon';
import type { CareEvent } from '../events/care-event.js';
import { runTimeZone } from '../interpreter/facts.js';
import {
  afterSend,
  decide,
  type SendReport,
  withCancel,
  withEvent,
  withPatient,
} from '../interpreter/interpret.js';
import {
  initialRunState,
  type PatientFacts,
  type RunEnd,
  type RunInput,
  type RunState,
  type StepRecord,
} from '../interpreter/run-state.js';
import type { Plan } from '../plan/plan.types.js';

/** Something that reaches the simulated run while it is in flight, at a virtual instant. */
export type SimulatedArrival =
  /** An event about the subject: a reschedule, a cancellation, a confirmation, … */
  | { at: string; event: { type: string; data?: Record<string, unknown> } }
  /** An operator cancels the run. */
  | { at: string; cancel: { reason: string } };

/** What to simulate: a plan, a sample event and patient, and a virtual clock's start. */
export interface SimulationInput {
  journeyId: string;
  plan: Plan;
  event: CareEvent;
  patient: PatientFacts;
  /** The virtual instant the run starts at (ISO 8601). */
  startAt: string;
  orgTimeZone: string;
  /** What each send step reports, by step id; a send not listed reports `sent`. */
  sendReports?: Readonly<Record<string, SendReport>>;
  arrivals?: readonly SimulatedArrival[];
}

/** One send the run would make, and when. */
export interface SimulatedSend {
  stepId: string;
  /** The instant, in UTC (ISO 8601). */
  at: string;
  /** The same instant in the run's zone, with its offset. */
  local: string;
  outcome: string;
  reason?: string;
}

/** One wait the run would sleep through. */
export interface SimulatedWait {
  stepId: string;
  from: string;
  until: string;
  untilLocal: string;
  /** `true` when an arrival woke the run before `until`. */
  isInterrupted: boolean;
}

/** What the run would do. */
export interface SimulationResult {
  zone: string;
  path: StepRecord[];
  sends: SimulatedSend[];
  waits: SimulatedWait[];
  end: RunEnd;
  endedAt: string;
  endedAtLocal: string;
  /** How many decisions the interpreter made; a plan is a DAG, so this stays small. */
  decisions: number;
}

// Every decision either moves the run forward in the DAG, moves the virtual clock forward, or
// consumes an arrival; this bound only guards against a plan built by hand that loops.
const MAX_DECISIONS = 100_000;

/**
 * Runs a plan through the same interpreter the journey workflow drives, on a virtual clock:
 * waits end at once at the instant they would end, sends report what `sendReports` says, and
 * arrivals are delivered at their instants the way the workflow's signals deliver them.
 *
 * @param input - the plan, the sample event and patient, and the virtual start
 * @returns the path taken, every send with its instant in UTC and in the patient's zone, the
 *   waits, and how the run ends
 */
export function simulate(input: SimulationInput): SimulationResult {
  const run: RunInput = {
    journeyId: input.journeyId,
    versionId: 'simulation',
    planHash: 'simulation',
    plan: input.plan,
    event: input.event,
    orgTimeZone: input.orgTimeZone,
  };
  const zone = runTimeZone(input.event, input.patient, input.orgTimeZone);
  const pending = [...(input.arrivals ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const sends: SimulatedSend[] = [];
  const waits: SimulatedWait[] = [];
  let state: RunState = initialRunState(run);
  let now = toUtc(input.startAt);

  for (let decisions = 1; decisions <= MAX_DECISIONS; decisions += 1) {
    state = deliverDue(state, pending, now);
    const decision = decide(run, state, now);
    state = decision.state;
    const { command } = decision;

    switch (command.kind) {
      case 'load_patient':
        state = withPatient(state, input.patient);
        break;
      case 'send': {
        const report = input.sendReports?.[command.stepId] ?? { outcome: 'sent' };
        sends.push({ stepId: command.stepId, at: now, local: inZone(now, zone), ...report });
        state = afterSend(run, state, report, now);
        break;
      }
      case 'sleep':
      case 'await_event': {
        const next = pending[0];
        const isInterrupted = next !== undefined && Date.parse(next.at) < Date.parse(command.until);
        const wakeAt = isInterrupted ? toUtc(next.at) : command.until;
        waits.push({
          stepId: command.stepId,
          from: now,
          until: command.until,
          untilLocal: inZone(command.until, zone),
          isInterrupted,
        });
        now = later(now, wakeAt);
        break;
      }
      case 'finish':
        return {
          zone,
          path: state.trail,
          sends,
          waits,
          end: command.end,
          endedAt: now,
          endedAtLocal: inZone(now, zone),
          decisions,
        };
    }
  }
  return {
    zone,
    path: state.trail,
    sends,
    waits,
    end: { status: 'completed', outcome: 'failed', reason: 'simulation_limit' },
    endedAt: now,
    endedAtLocal: inZone(now, zone),
    decisions: MAX_DECISIONS,
  };
}

// Delivers, in order, every arrival due by now: the workflow applies signals the same way,
// before its next decision.
function deliverDue(state: RunState, pending: SimulatedArrival[], now: string): RunState {
  let current = state;
  while (pending.length > 0 && Date.parse((pending[0] as SimulatedArrival).at) <= Date.parse(now)) {
    const arrival = pending.shift() as SimulatedArrival;
    current =
      'cancel' in arrival
        ? withCancel(current, arrival.cancel.reason)
        : withEvent(current, {
            ...current.event,
            id: `simulated-${arrival.event.type}-${arrival.at}`,
            type: arrival.event.type,
            occurredAt: toUtc(arrival.at),
            data: arrival.event.data ?? current.event.data,
          });
  }
  return current;
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function toUtc(instant: string): string {
  return (
    DateTime.fromISO(instant, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) ?? instant
  );
}

function inZone(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? instant;
}
