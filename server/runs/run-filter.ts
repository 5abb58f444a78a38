import { z } from 'zod';

/** A run as operators see it; `cancelled` covers a cancel signal and an operator's cancel. */
export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];

// Values go into a Temporal visibility query between single quotes; only these characters are
// accepted, so no value can close the quote and change the query.
const Token = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'letters, digits and _ . : - only')
  .describe('An id or code');

/** The filters of `GET /api/runs` and of a bulk replay. */
export const RunFilterSchema = z.object({
  journeyId: Token.optional(),
  versionId: Token.optional(),
  status: z.enum(RUN_STATUSES).optional(),
  failureType: Token.optional().describe('The failure type (an error code or `nondeterminism`)'),
  failedNode: Token.optional().describe('The plan step the run failed at'),
  patientId: z.uuid().optional().describe("Pathwell's internal patient id"),
  startedFrom: z.iso.datetime({ offset: true }).optional().describe('Started at or after'),
  startedTo: z.iso.datetime({ offset: true }).optional().describe('Started before'),
});
export type RunFilter = z.infer<typeof RunFilterSchema>;

const STATUS_CLAUSES: Record<RunStatusName, string> = {
  running: "ExecutionStatus = 'Running'",
  // A run that continued as new goes on in its next execution, which is listed instead.
  completed:
    "ExecutionStatus = 'Completed' AND (PathwellRunStatus IS NULL OR PathwellRunStatus = 'completed')",
  failed: "ExecutionStatus IN ('Failed', 'TimedOut')",
  cancelled: "(ExecutionStatus IN ('Canceled', 'Terminated') OR PathwellRunStatus = 'cancelled')",
};

/** Non-determinism fails a run in the worker, where no search attribute can be set. */
export const NONDETERMINISM = 'nondeterminism';

/**
 * The Temporal visibility query of a filter, limited to journey runs on Pathwell's task queue
 * and leaving out executions that continued as new.
 */
export function visibilityQuery(filter: RunFilter, taskQueue: string): string {
  const clauses = [
    "WorkflowType = 'journeyRun'",
    `TaskQueue = '${Token.parse(taskQueue)}'`,
    "ExecutionStatus != 'ContinuedAsNew'",
  ];
  const equal = (attribute: string, value: string | undefined) => {
    if (value !== undefined) {
      clauses.push(`${attribute} = '${value}'`);
    }
  };
  equal('PathwellJourneyId', filter.journeyId);
  equal('PathwellVersionId', filter.versionId);
  equal('PathwellPatientId', filter.patientId);
  equal('PathwellFailedNode', filter.failedNode);
  if (filter.failureType === NONDETERMINISM) {
    clauses.push("ExecutionStatus = 'Failed' AND PathwellFailureType IS NULL");
  } else {
    equal('PathwellFailureType', filter.failureType);
  }
  if (filter.status !== undefined) {
    clauses.push(STATUS_CLAUSES[filter.status]);
  }
  if (filter.startedFrom !== undefined) {
    clauses.push(`StartTime >= '${new Date(filter.startedFrom).toISOString()}'`);
  }
  if (filter.startedTo !== undefined) {
    clauses.push(`StartTime < '${new Date(filter.startedTo).toISOString()}'`);
  }
  return clauses.join(' AND ');
}
