import type { CareEvent } from '../../engine/events/care-event.js';
import type { RunDispatch } from '../db/inbox.store.js';
import { publishedVersionsFor } from '../db/journeys.store.js';
import type { ServerDeps } from '../server-deps.js';
import type { IngestResult } from './apply-plan.js';
import { dispatchQueueOf } from './dispatch-queue.js';
import { workflowIdFor } from './workflow-id.js';

/**
 * Hands the events a webhook body put in the inbox to the dispatch queue and returns at once:
 * the webhook answers when its events are durable, and their runs start right after. A
 * failure to dispatch leaves an event pending for the inbox loop, so nothing is lost.
 */
export function queueAccepted(deps: ServerDeps, result: IngestResult): void {
  const queue = dispatchQueueOf(deps);
  for (const event of result.toDispatch) {
    void queue.enqueue(event);
  }
}

/**
 * Starts and signals the runs of an event already in the inbox and waits for them, as an API
 * answer that lists them needs: when Temporal cannot be reached nothing is lost (the inbox
 * holds the event and the dispatcher loop retries it), and the answer lists the runs as
 * `queued`.
 */
export async function dispatchOrQueue(deps: ServerDeps, event: CareEvent): Promise<RunDispatch[]> {
  const runs = await dispatchQueueOf(deps).enqueue(event);
  if (runs !== undefined) {
    return runs;
  }
  const versions = await publishedVersionsFor(deps.pool, event.type).catch(() => []);
  return versions.map((version) => ({
    journeyId: version.journeyId,
    versionId: version.id,
    workflowId: workflowIdFor(version.journeyId, event),
    action: 'queued' as const,
  }));
}
