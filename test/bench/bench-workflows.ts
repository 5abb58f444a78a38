// The benchmark's worker bundles both: Pathwell's interpreter workflow and the hand-written one.
export { journeyRun } from '../../workflows/journey.workflow.js';
export { handWrittenRun } from './hand-written.workflow.js';
