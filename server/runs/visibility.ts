import type { temporal } from '@temporalio/proto';
import type { RunStatusName } from './run-filter.js';

type ExecutionInfo = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** One Temporal execution of a run, as visibility lists it. */
export interface RunExecution {
  workflowId: string;
  runId: string;
  /** Temporal's own status name (`Running`, `Completed`, `Failed`, …). */
  temporalStatus: string;
  startedAt: string | null;
  closedAt: string | null;
  attributes: Record<string, string>;
}

const STATUS_NAMES: Record<number, string> = {
  1: 'Running',
  2: 'Completed',
  3: 'Failed',
  4: 'Canceled',
  5: 'Terminated',
  6: 'ContinuedAsNew',
  7: 'TimedOut',
};

/** Reads an execution from visibility; keyword search attributes are JSON strings. */
export function runExecutionOf(info: ExecutionInfo): RunExecution {
  const attributes: Record<string, string> = {};
  for (const [name, payload] of Object.entries(info.searchAttributes?.indexedFields ?? {})) {
    if (name.startsWith('Pathwell') && payload.data) {
      const value: unknown = JSON.parse(Buffer.from(payload.data).toString('utf8'));
      const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
      if (typeof first === 'string') {
        attributes[name] = first;
      }
    }
  }
  return {
    workflowId: info.execution?.workflowId ?? '',
    runId: info.execution?.runId ?? '',
    temporalStatus: STATUS_NAMES[Number(info.status ?? 0)] ?? 'Unknown',
    startedAt: isoOf(info.startTime),
    closedAt: isoOf(info.closeTime),
    attributes,
  };
}

/** Pathwell's status of an execution, from Temporal's status and the run's own end. */
export function runStatusOf(execution: RunExecution): RunStatusName {
  switch (execution.temporalStatus) {
    case 'Running':
    case 'ContinuedAsNew':
      return 'running';
    case 'Completed':
      return execution.attributes.PathwellRunStatus === 'cancelled' ? 'cancelled' : 'completed';
    case 'Canceled':
    case 'Terminated':
      return 'cancelled';
    default:
      return 'failed';
  }
}

function isoOf(
  timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined,
): string | null {
  if (timestamp?.seconds === undefined || timestamp.seconds === null) {
    return null;
  }
  const millis = Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
  return new Date(millis).toISOString();
}
