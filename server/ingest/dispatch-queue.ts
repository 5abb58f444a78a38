import type { CareEvent } from '../../engine/events/care-event.js';
import type { RunDispatch } from '../db/inbox.store.js';
import type { Logger } from '../log/logger.js';
import type { ServerDeps } from '../server-deps.js';
import { dispatchEvent } from './dispatch.js';
import { subjectKeyOf } from './workflow-id.js';

/**
 * Where a server starts and signals the runs of inbox events, once each event is durable.
 *
 * A webhook answers as soon as its events are committed to the inbox and hands them here, so
 * the EHR does not wait on Temporal. Events about one subject (one appointment, one encounter)
 * are dispatched one after another in the order they arrived, so a cancellation never
 * overtakes the booking it cancels; different subjects go ahead side by side, a few at a time.
 */
export interface DispatchQueue {
  /**
   * Queues an event behind every earlier event of its subject. Queuing an event that is
   * already queued or under way returns that dispatch instead of starting a second.
   *
   * @returns the runs dispatch started and signalled, or `undefined` when Temporal could not
   *   be reached: the event then stays pending and the inbox loop tries again
   */
  enqueue: (event: CareEvent) => Promise<RunDispatch[] | undefined>;
  /** Whether an event is queued or being dispatched in this process. */
  isQueued: (eventId: string) => boolean;
  /** Resolves once every event queued so far has been dispatched or left pending. */
  drain: () => Promise<void>;
}

// Dispatch shares the database pool with the requests; a handful at a time keeps most of the
// pool for them while Temporal starts runs about as fast as it would with more.
const CONCURRENT_DISPATCHES = 4;

const queues = new WeakMap<object, DispatchQueue>();

/** The dispatch queue of one server (one per set of dependencies, shared by every route). */
export function dispatchQueueOf(deps: ServerDeps): DispatchQueue {
  const existing = queues.get(deps);
  if (existing !== undefined) {
    return existing;
  }
  const dispatchDeps = { ...deps, orgTimeZone: deps.config.orgTimeZone };
  const queue = createDispatchQueue({
    dispatch: (event) => dispatchEvent(dispatchDeps, event),
    log: deps.log,
  });
  queues.set(deps, queue);
  return queue;
}

/**
 * A dispatch queue around `dispatch` (which throws when the event must wait for the inbox
 * loop). {@link dispatchQueueOf} is the one a server uses; this is for tests of the queue.
 */
export function createDispatchQueue(options: {
  dispatch: (event: CareEvent) => Promise<RunDispatch[]>;
  log: Pick<Logger, 'warn'>;
}): DispatchQueue {
  const tails = new Map<string, Promise<unknown>>();
  const inFlight = new Map<string, Promise<RunDispatch[] | undefined>>();
  const slots = new Slots(CONCURRENT_DISPATCHES);

  const dispatchOne = async (event: CareEvent): Promise<RunDispatch[] | undefined> => {
    await slots.take();
    try {
      return await options.dispatch(event);
    } catch (error) {
      options.log.warn(
        { eventId: event.id, errorClass: (error as Error).name },
        'Dispatch deferred to the inbox loop',
      );
      return undefined;
    } finally {
      slots.give();
    }
  };

  return {
    enqueue: (event) => {
      const queued = inFlight.get(event.id);
      if (queued !== undefined) {
        return queued;
      }
      const subject = subjectKeyOf(event);
      const before = tails.get(subject) ?? Promise.resolve();
      const dispatched = before.then(() => dispatchOne(event));
      inFlight.set(event.id, dispatched);
      tails.set(subject, dispatched);

      void dispatched.finally(() => {
        inFlight.delete(event.id);
        if (tails.get(subject) === dispatched) {
          tails.delete(subject);
        }
      });
      return dispatched;
    },
    isQueued: (eventId) => inFlight.has(eventId),
    drain: async () => {
      while (inFlight.size > 0) {
        await Promise.all(inFlight.values());
      }
    },
  };
}

/** A counting semaphore: at most `size` holders at once, the rest wait in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next === undefined) {
      this.free += 1;
    } else {
      next();
    }
  }
}
