import { describe, expect, it } from 'vitest';
import { RunFilterSchema, visibilityQuery } from './run-filter.js';

describe('visibilityQuery', () => {
  it('limits every query to journey runs on the task queue, without continued executions', () => {
    expect(visibilityQuery({}, 'pathwell')).toBe(
      "WorkflowType = 'journeyRun' AND TaskQueue = 'pathwell' AND ExecutionStatus != 'ContinuedAsNew'",
    );
  });

  it('adds each filter as a clause when journey, status, failure and time are given', () => {
    const query = visibilityQuery(
      {
        journeyId: 'j1',
        status: 'failed',
        failureType: 'internal_error',
        failedNode: 'reminder',
        startedFrom: '2026-12-01T00:00:00+01:00',
      },
      'q',
    );

    expect(query).toContain("PathwellJourneyId = 'j1'");
    expect(query).toContain("ExecutionStatus IN ('Failed', 'TimedOut')");
    expect(query).toContain("PathwellFailureType = 'internal_error'");
    expect(query).toContain("PathwellFailedNode = 'reminder'");
    expect(query).toContain("StartTime >= '2026-11-30T23:00:00.000Z'");
  });

  it('finds non-determinism failures as failed runs without a failure type', () => {
    expect(visibilityQuery({ failureType: 'nondeterminism' }, 'q')).toContain(
      "ExecutionStatus = 'Failed' AND PathwellFailureType IS NULL",
    );
  });

  it('refuses a value that could close the quote when a filter is parsed', () => {
    const parsed = RunFilterSchema.safeParse({ journeyId: "x' OR 1=1 --" });

    expect(parsed.success).toBe(false);
  });
});
