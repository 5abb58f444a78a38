// The workflows the worker bundles. Named re-exports only: the bundler starts here.
export {
  cancelledSignal,
  journeyRun,
  patientEventSignal,
  rescheduledSignal,
  statusQuery,
} from './journey.workflow.js';
export {
  journeySchedule,
  replacedSignal,
  scheduleStatusQuery,
  stoppedSignal,
} from './schedule.workflow.js';
