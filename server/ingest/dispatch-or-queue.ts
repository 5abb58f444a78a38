import type { CareEvent } from '../../engine/events/care-event.js';
import type { RunDispatch } from '../db/inbox.store.js';
import { publishedVersionsFor } from '../db/journeys.store.js';
import type { ServerDeps } from '../server-deps.js';
import type { IngestResult } from './apply-plan.js';
import { dispatchEvent } from './dispatch.js';
import { workflowIdFor } from './workflow-id.js';

/**
 * Starts and signals the runs of every event a body put in the inbox, in order, and records
 * them on the answer. Events of one body (or one MLLP connection) are dispatched one after
 * another, so a cancellation never overtakes the booking it cancels.
 */
export async function dispatchAccepted(deps: ServerDeps, result: IngestResult): Promise<void> {
  for (const event of result.toDispatch) {
    const entry = result.accepted.find((accepted) => accepted.eventId === event.id);
    const runs = await dispatchOrQueue(deps, event);
    if (entry !== undefined) {
      entry.runs = runs;
    }
  }
}

/**
 * Starts and signals the runs of an event already in the inbox, as an API answer needs them:
 * when Temporal cannot be reached nothing is lost (the inbox holds the event and the dispatcher
 * loop retries it), and the answer lists the runs as `queued`.
 */
export async function dispatchOrQueue(deps: ServerDeps, event: CareEvent): Promise<RunDispatch[]> {
  try {
    return await dispatchEvent({ ...deps, orgTimeZone: deps.config.orgTimeZone }, event);
  } catch (error) {
    deps.log.warn(
      { eventId: event.id, errorClass: (error as Error).name },
      'Dispatch deferred to the inbox loop',
    );
    const versions = await publishedVersionsFor(deps.pool, event.type).catch(() => []);
    return versions.map((version) => ({
      journeyId: version.journeyId,
      versionId: version.id,
      workflowId: workflowIdFor(version.journeyId, event),
      action: 'queued' as const,
    }));
  }
}
