import { loadEvent, pendingEventIds } from '../db/inbox.store.js';
import type { Logger } from '../log/logger.js';
import type { ServerDeps } from '../server-deps.js';
import { dispatchQueueOf } from './dispatch-queue.js';

/** A running loop, and how to stop it. */
export interface DispatcherLoop {
  stop: () => Promise<void>;
}

// An event this young is most likely being dispatched by the server that took it in (another
// process may be one of several behind a load balancer); the loop is for the ones left behind.
const MIN_AGE_SECONDS = 5;

/**
 * Starts the runs of inbox events whose dispatch did not finish (Temporal was unreachable, the
 * server stopped between commit and start): every `intervalMs`, oldest first, through the same
 * queue as the webhooks so an event is never dispatched twice at once here. An event is durable
 * in the inbox before its webhook answers, so this is what makes "accepted" mean "will run".
 */
export function startDispatcherLoop(
  deps: ServerDeps,
  log: Logger,
  intervalMs = 2_000,
): DispatcherLoop {
  const queue = dispatchQueueOf(deps);
  let isStopping = false;
  let current: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    const ids = await pendingEventIds(deps.pool, { limit: 50, minAgeSeconds: MIN_AGE_SECONDS });
    for (const id of ids) {
      if (isStopping) {
        return;
      }
      if (queue.isQueued(id)) {
        continue;
      }
      const event = await loadEvent(deps.pool, deps.keyring, id);
      const runs = event === undefined ? undefined : await queue.enqueue(event);
      if (runs === undefined) {
        // Temporal is still out of reach: the rest would fail the same way; next tick.
        return;
      }
      log.info({ eventId: id, runs: runs.length }, 'Queued event dispatched');
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
