import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Search attributes are stored in plaintext by the Temporal server (the payload codec does not
// touch them), so each carries only opaque ids or Pathwell's own codes, never PHI: the patient
// is Pathwell's internal patient id, never an EHR identifier, name or address.

/** The journey a run belongs to. */
export const JOURNEY_ID = defineSearchAttributeKey(
  'PathwellJourneyId',
  SearchAttributeType.KEYWORD,
);
/** The journey version a run is pinned to. */
export const VERSION_ID = defineSearchAttributeKey(
  'PathwellVersionId',
  SearchAttributeType.KEYWORD,
);
/** Pathwell's internal patient id (a UUID of the directory), the only patient reference. */
export const PATIENT_ID = defineSearchAttributeKey(
  'PathwellPatientId',
  SearchAttributeType.KEYWORD,
);
/** How a run ended as Pathwell sees it (`completed` or `cancelled`); set when it finishes. */
export const RUN_STATUS = defineSearchAttributeKey(
  'PathwellRunStatus',
  SearchAttributeType.KEYWORD,
);
/** Why a run failed: the failure's type (an error code, `activity_timeout`, …). */
export const FAILURE_TYPE = defineSearchAttributeKey(
  'PathwellFailureType',
  SearchAttributeType.KEYWORD,
);
/** The plan step a run failed at. */
export const FAILED_NODE = defineSearchAttributeKey(
  'PathwellFailedNode',
  SearchAttributeType.KEYWORD,
);

/** Every search attribute Pathwell uses; the server registers them in its namespace. */
export const RUN_SEARCH_ATTRIBUTES = [
  JOURNEY_ID,
  VERSION_ID,
  PATIENT_ID,
  RUN_STATUS,
  FAILURE_TYPE,
  FAILED_NODE,
] as const;
