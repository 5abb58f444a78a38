import type { RunState } from '../engine/interpreter/run-state.js';

/** The failure type of a run that failed at a step; its details are {@link FailedRunDetails}. */
export const RUN_STEP_FAILED = 'run_step_failed';

/**
 * What a failed run leaves for its replay: the step it failed at and the interpreter's state
 * there. It travels as failure details, so the payload codec encrypts it like any input.
 */
export interface FailedRunDetails {
  stepId: string | null;
  failureType: string;
  state: RunState;
  /** How many steps of the trail Pathwell's run records already hold. */
  recorded: number;
}
