import { failuresTyped } from '../create-activities.js';
import {
  type FanOutInput,
  type FanOutResult,
  fanOutBatch,
  type ScheduleActivityDeps,
} from './fan-out-batch.js';

/** The activities of schedule workflows. */
export interface ScheduleActivities {
  fanOutBatch: (input: FanOutInput) => Promise<FanOutResult>;
}

/**
 * The activities schedule workflows call, bound to their dependencies. Registered by the
 * worker beside the journey activities; they need a Temporal client, to start runs.
 */
export function createScheduleActivities(deps: ScheduleActivityDeps): ScheduleActivities {
  return { fanOutBatch: failuresTyped((input: FanOutInput) => fanOutBatch(deps, input)) };
}
