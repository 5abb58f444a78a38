import type { SearchAttributePair } from '@temporalio/common';
import type { RunInput } from '../../engine/interpreter/run-state.js';
import { JOURNEY_ID, PATIENT_ID, VERSION_ID } from '../../workflows/run-search-attributes.js';

/** The search attributes a run starts with: its journey, version and internal patient id. */
export function runSearchAttributes(input: RunInput): SearchAttributePair[] {
  return [
    { key: JOURNEY_ID, value: input.journeyId },
    { key: VERSION_ID, value: input.versionId },
    { key: PATIENT_ID, value: input.event.patientId },
  ];
}
