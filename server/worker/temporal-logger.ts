import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../log/logger.js';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Temporal's worker, workflow and activity logs, written through Pathwell's logger. Workflow
 * logs carry the ids Temporal adds (workflowId, runId); Pathwell logs ids, never PHI.
 */
export function temporalLogger(log: Logger): DefaultLogger {
  return new DefaultLogger('INFO', (entry) => {
    const { message, meta } = entry;
    log[LEVELS[entry.level]]({ ...stripPayloads(meta ?? {}) }, message);
  });
}

// Temporal's own metadata is ids and task facts; drop anything that looks like a payload or an
// error message, which could quote a value.
function stripPayloads(meta: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'error' || key === 'failure') {
      kept[key] = value instanceof Error ? { errorClass: value.name } : '[omitted]';
    } else if (typeof value !== 'object' || value === null) {
      kept[key] = value;
    }
  }
  return kept;
}
