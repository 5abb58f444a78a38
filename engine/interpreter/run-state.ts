import type { CareEvent } from '../events/care-event.js';
import type { Plan, PlanStepKind } from '../plan/plan.types.js';

/** What a run starts with: the pinned version and the event that triggered it. */
export interface RunInput {
  journeyId: string;
  versionId: string;
  planHash: string;
  plan: Plan;
  event: CareEvent;
  /** The organisation's zone, for patients and events that name none. */
  orgTimeZone: string;
}

/** What the workflow learns of the patient once per run: only what conditions read. */
export interface PatientFacts {
  timeZone?: string | undefined;
  /** Values of the plan's `patientFields`, by path. */
  fields: Record<string, unknown>;
}

/** One step a run took. */
export interface StepRecord {
  stepId: string;
  kind: PlanStepKind;
  /** The outcome handle taken (`yes`, `sent`, `timeout`, …) or the exit's outcome. */
  outcome: string;
  reason?: string;
  at: string;
}

/** How a run ended. */
export interface RunEnd {
  status: 'completed' | 'cancelled';
  outcome: string;
  reason?: string;
}

/** An event that reached a running run (a reschedule, a confirmation, …). */
export interface ReceivedEvent {
  id: string;
  type: string;
}

/** Everything the interpreter knows about a run in flight. Plain data, so it survives
 * continue-as-new. */
export interface RunState {
  /** The step the run is at, or `null` once it has ended. */
  at: string | null;
  /** The latest event about the subject: a reschedule replaces the trigger's data. */
  event: CareEvent;
  patient: PatientFacts | null;
  trail: StepRecord[];
  /** When the run reached the wait it is in, so a reschedule does not restart a duration. */
  waitingSince: string | null;
  /** Events received and not yet consumed by a `wait.event`. */
  received: ReceivedEvent[];
  cancelled: { reason: string } | null;
  ended: RunEnd | null;
}

/** What the run must do next: the workflow carries it out and reports back. */
export type Command =
  | { kind: 'load_patient' }
  | { kind: 'sleep'; stepId: string; until: string }
  | { kind: 'await_event'; stepId: string; eventType: string; until: string }
  | { kind: 'send'; stepId: string }
  | { kind: 'finish'; end: RunEnd };

/** The state a run starts in. */
export function initialRunState(input: RunInput): RunState {
  return {
    at: input.plan.entry,
    event: input.event,
    patient: null,
    trail: [],
    waitingSince: null,
    received: [],
    cancelled: null,
    ended: null,
  };
}
