import type { CareEvent } from '../../engine/events/care-event.js';
import { sha256Hex } from '../../engine/util/hash.js';

/**
 * The workflow id of a journey's run for an event's subject: derived from the journey and the
 * subject, so one appointment never has two runs of one journey, and hashed, so the id shows no
 * EHR identifier to anyone reading Temporal (ids are stored unencrypted).
 */
export function workflowIdFor(
  journeyId: string,
  event: Pick<CareEvent, 'source' | 'subject'>,
): string {
  return `run-${journeyId}-${sha256Hex(subjectKeyOf(event)).slice(0, 24)}`;
}

/** One string per subject (source, resource type and id): what a run and a dispatch order by. */
export function subjectKeyOf(event: Pick<CareEvent, 'source' | 'subject'>): string {
  return `${event.source}\u0000${event.subject.resourceType}\u0000${event.subject.id}`;
}
