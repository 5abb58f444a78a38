import { AppError } from '../../engine/errors/app-error.js';
import type { Logger } from '../log/logger.js';
import { describeRun, type RunReadDeps } from './run-timeline.js';
import { runStatusOf } from './visibility.js';

/** The reason a run cancelled by an operator ends with. */
export const OPERATOR_CANCELLED = 'operator_cancelled';

/**
 * Cancels a running run with the run's own cancel signal: it sends nothing more, records its
 * end (`cancelled`, `operator_cancelled`) and completes. A run in the middle of a send finishes
 * that send first (the ledger keeps it exact), then ends.
 */
export async function cancelRun(
  deps: RunReadDeps & { log: Logger },
  workflowId: string,
): Promise<void> {
  const execution = await describeRun(deps, workflowId);
  const status = runStatusOf(execution);
  if (status !== 'running') {
    throw new AppError(
      'run_not_running',
      `Run "${workflowId}" is ${status}; only a running run can be cancelled.`,
    );
  }
  await deps.temporal.client.workflow
    .getHandle(workflowId)
    .signal('cancelled', { reason: OPERATOR_CANCELLED });
  deps.log.info({ workflowId }, 'Run cancelled by an operator');
}
