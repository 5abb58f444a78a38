import { DateTime } from 'luxon';
import { evaluateRules } from '../conditions/evaluate.js';
import type { CareEvent } from '../events/care-event.js';
import type { PlanStep } from '../plan/plan.types.js';
import { plusDuration } from '../schedule/local-time.js';
import { computeWaitUntil, hasPassed } from '../schedule/wait-until.js';
import { factsOf, runTimeZone } from './facts.js';
import type { Command, PatientFacts, RunInput, RunState, StepRecord } from './run-state.js';
import { splitBranch } from './split.js';

/** A send's result, as the send activity reports it to the interpreter. */
export interface SendReport {
  /** `sent`, `blocked`, `deferred`, … : recorded on the step; the run goes on either way. */
  outcome: string;
  reason?: string;
}

// A plan is a DAG, so a run passes each step at most once per decision; the bound only guards
// against a corrupted plan making the workflow spin.
const MAX_PURE_STEPS = 10_000;

/**
 * Advances a run through every step that needs nothing from outside (conditions, splits, exits,
 * waits that are already over) and returns the first thing the workflow must do.
 *
 * Pure: the same input, state and `now` always give the same answer, which is what lets the
 * workflow replay deterministically and the simulator run the same code on a virtual clock.
 *
 * @param input - the run's pinned version and trigger
 * @param state - the run's state; not modified
 * @param now - the current instant (ISO 8601) from the workflow's deterministic clock
 */
export function decide(
  input: RunInput,
  state: RunState,
  now: string,
): { state: RunState; command: Command } {
  let current: RunState = { ...state, trail: [...state.trail] };
  if (current.ended !== null) {
    return { state: current, command: { kind: 'finish', end: current.ended } };
  }
  if (current.cancelled !== null) {
    return finish(current, {
      status: 'cancelled',
      outcome: 'cancelled',
      reason: current.cancelled.reason,
    });
  }
  if (current.patient === null) {
    return { state: current, command: { kind: 'load_patient' } };
  }

  for (let count = 0; count < MAX_PURE_STEPS; count += 1) {
    if (current.at === null) {
      return finish(current, { status: 'completed', outcome: 'completed' });
    }
    const step = input.plan.steps[current.at];
    if (step === undefined) {
      return finish(current, {
        status: 'completed',
        outcome: 'failed',
        reason: 'plan_step_missing',
      });
    }
    const result = visit(input, current, step, now);
    current = result.state;
    if (result.command !== undefined) {
      return { state: current, command: result.command };
    }
    if (current.ended !== null) {
      return { state: current, command: { kind: 'finish', end: current.ended } };
    }
  }
  return finish(current, { status: 'completed', outcome: 'failed', reason: 'plan_loop_guard' });
}

/** Records the patient facts the workflow loaded. */
export function withPatient(state: RunState, patient: PatientFacts): RunState {
  return { ...state, patient };
}

/** Records a send's result and moves past the send step. */
export function afterSend(
  input: RunInput,
  state: RunState,
  report: SendReport,
  now: string,
): RunState {
  const step = state.at === null ? undefined : input.plan.steps[state.at];
  if (step === undefined || step.kind !== 'send.email') {
    return state;
  }
  return advance(state, step, now, {
    handle: 'out',
    outcome: report.outcome,
    reason: report.reason,
  });
}

/**
 * Takes in an event about the run's subject. A reschedule replaces the event data, so a
 * pending `wait.until` is recomputed on the next decision; a cancellation ends the run before
 * any further send; anything else is kept for a `wait.event`.
 */
export function withEvent(state: RunState, event: CareEvent): RunState {
  if (event.type === 'appointment.cancelled') {
    return { ...state, cancelled: { reason: 'appointment_cancelled' } };
  }
  const received = [...state.received, { id: event.id, type: event.type }];
  return event.type === 'appointment.rescheduled'
    ? { ...state, event: { ...event, type: state.event.type }, received }
    : { ...state, received };
}

/** Marks a run cancelled by an operator or a cancel signal. */
export function withCancel(state: RunState, reason: string): RunState {
  return state.cancelled === null ? { ...state, cancelled: { reason } } : state;
}

/** The state after visiting a step, and the command if the step needs the outside world. */
interface Visit {
  state: RunState;
  command?: Command;
}

function visit(input: RunInput, state: RunState, step: PlanStep, now: string): Visit {
  const zone = runTimeZone(state.event, state.patient, input.orgTimeZone);
  switch (step.kind) {
    case 'condition': {
      const facts = factsOf(state.event, state.patient, zone);
      const holds = evaluateRules(step.rules, facts, { now, zone });
      return moved(advance(state, step, now, { handle: holds ? 'yes' : 'no' }));
    }
    case 'split': {
      const branch = splitBranch(step.branches, state.event.patientId, input.journeyId, step.id);
      return moved(advance(state, step, now, { handle: branch }));
    }
    case 'exit':
      return moved(
        end(state, step, now, {
          status: 'completed',
          outcome: step.outcome,
          ...reasonOf(step.reason),
        }),
      );
    case 'send.email':
      return { state, command: { kind: 'send', stepId: step.id } };
    case 'wait.duration': {
      const since = state.waitingSince ?? now;
      const until = toUtc(plusDuration(DateTime.fromISO(since), step.duration, zone));
      return hasPassed(until, now)
        ? moved(advance(state, step, now, { handle: 'out', outcome: 'elapsed' }))
        : sleep({ ...state, waitingSince: since }, step.id, until);
    }
    case 'wait.until':
      return visitWaitUntil(state, step, zone, now);
    case 'wait.event':
      return visitWaitEvent(state, step, zone, now);
  }
}

function visitWaitUntil(
  state: RunState,
  step: Extract<PlanStep, { kind: 'wait.until' }>,
  zone: string,
  now: string,
): Visit {
  const anchorName = step.anchor.slice(step.anchor.indexOf('.') + 1);
  const group = step.anchor.slice(0, step.anchor.indexOf('.'));
  const anchor = (state.event.data[group] as Record<string, unknown> | undefined)?.[anchorName];
  const computed = computeWaitUntil(step, anchor, zone);
  if (!computed.ok) {
    return moved(
      end(state, step, now, { status: 'completed', outcome: 'exited', reason: computed.reason }),
    );
  }

  const since = state.waitingSince ?? now;
  if (!hasPassed(computed.at, now)) {
    return sleep({ ...state, waitingSince: since }, step.id, computed.at);
  }
  // Reached after waiting for it, or already past when the run got here (or was moved into the
  // past by a reschedule): only the latter is what the step's `ifPassed` policy is about.
  const wasAlreadyPast = Date.parse(computed.at) < Date.parse(since);
  if (wasAlreadyPast && step.ifPassed === 'exit') {
    return moved(
      end(state, step, now, { status: 'completed', outcome: 'exited', reason: 'anchor_passed' }),
    );
  }
  return moved(
    advance(state, step, now, {
      handle: 'out',
      outcome: wasAlreadyPast ? 'anchor_passed_continue' : 'reached',
    }),
  );
}

function visitWaitEvent(
  state: RunState,
  step: Extract<PlanStep, { kind: 'wait.event' }>,
  zone: string,
  now: string,
): Visit {
  const since = state.waitingSince ?? now;
  const index = state.received.findIndex((event) => event.type === step.eventType);
  if (index !== -1) {
    const received = state.received.filter((_, position) => position !== index);
    return moved(advance({ ...state, received }, step, now, { handle: 'received' }));
  }
  const until = toUtc(plusDuration(DateTime.fromISO(since), step.timeout, zone));
  if (hasPassed(until, now)) {
    return moved(advance(state, step, now, { handle: 'timeout' }));
  }
  return {
    state: { ...state, waitingSince: since },
    command: { kind: 'await_event', stepId: step.id, eventType: step.eventType, until },
  };
}

/** Where a step leads and what is recorded of it; `outcome` defaults to the handle's name. */
interface Taken {
  handle: string;
  outcome?: string;
  reason?: string | undefined;
}

function advance(state: RunState, step: PlanStep, now: string, taken: Taken): RunState {
  const { handle, outcome = taken.handle, reason } = taken;
  const record: StepRecord = {
    stepId: step.id,
    kind: step.kind,
    outcome,
    at: now,
    ...reasonOf(reason),
  };
  return {
    ...state,
    at: step.next[handle] ?? null,
    waitingSince: null,
    trail: [...state.trail, record],
  };
}

function end(
  state: RunState,
  step: PlanStep,
  now: string,
  runEnd: NonNullable<RunState['ended']>,
): RunState {
  const record: StepRecord = {
    stepId: step.id,
    kind: step.kind,
    outcome: runEnd.outcome,
    at: now,
    ...reasonOf(runEnd.reason),
  };
  return { ...state, at: null, waitingSince: null, trail: [...state.trail, record], ended: runEnd };
}

function finish(
  state: RunState,
  runEnd: NonNullable<RunState['ended']>,
): { state: RunState; command: Command } {
  const ended = { ...state, at: null, ended: runEnd };
  return { state: ended, command: { kind: 'finish', end: runEnd } };
}

function sleep(state: RunState, stepId: string, until: string): Visit {
  return { state, command: { kind: 'sleep', stepId, until } };
}

function moved(state: RunState): Visit {
  return { state };
}

function reasonOf(reason: string | undefined): { reason?: string } {
  return reason === undefined ? {} : { reason };
}

function toUtc(at: DateTime): string {
  return at.toUTC().toISO({ suppressMilliseconds: true }) ?? '';
}
