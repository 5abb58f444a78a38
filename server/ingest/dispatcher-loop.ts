import { loadEvent, pendingEventIds } from '../db/inbox.store.js';
import type { Logger } from '../log/logger.js';
import { type DispatchDeps, dispatchEvent } from './dispatch.js';

/** A running loop, and how to stop it. */
export interface DispatcherLoop {
  stop: () => Promise<void>;
}

/**
 * Starts the runs of inbox events whose dispatch did not finish (Temporal was unreachable, the
 * server stopped between commit and start): every `intervalMs`, oldest first. An event is
 * durable in the inbox before its webhook answers, so this is what makes "accepted" mean
 * "will run".
 */
export function startDispatcherLoop(
  deps: DispatchDeps,
  log: Logger,
  intervalMs = 2_000,
): DispatcherLoop {
  let isStopping = false;
  let current: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    const ids = await pendingEventIds(deps.pool, 50);
    for (const id of ids) {
      if (isStopping) {
        return;
      }
      const event = await loadEvent(deps.pool, deps.keyring, id);
      if (event !== undefined) {
        const runs = await dispatchEvent(deps, event);
        log.info({ eventId: id, runs: runs.length }, 'Queued event dispatched');
      }
    }
  };
  const timer = setInterval(() => {
    current = current
      .then(tick)
      .catch((error: unknown) =>
        log.warn({ errorClass: (error as Error).name }, 'Dispatcher loop will retry'),
      );
  }, intervalMs);

  return {
    stop: async () => {
      isStopping = true;
      clearInterval(timer);
      await current;
    },
  };
}
