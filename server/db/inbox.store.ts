import type { CareEvent } from '../../engine/events/care-event.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'inbox_events.event';

/** What starting runs for an event did, per journey. */
export interface RunDispatch {
  journeyId: string;
  versionId: string;
  workflowId: string;
  action: 'started' | 'signalled' | 'queued';
}

/** The inbox's answer to an event: new, or a redelivery of one it already holds. */
export type InboxAdmission =
  | { duplicate: false; id: string }
  | { duplicate: true; id: string; runs: RunDispatch[] };

/**
 * Writes an event to the inbox unless an event with the same idempotency key from the same
 * source is already there. Run inside the webhook's transaction: the event is durable before
 * the EHR gets its answer. `bodyId` names the stored body the event was read from.
 */
export async function admitEvent(
  client: Queryable,
  keyring: Keyring,
  admission: { event: CareEvent; idempotencyKey: string; bodyId?: string | undefined },
): Promise<InboxAdmission> {
  const { event, idempotencyKey } = admission;
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO inbox_events
       (id, source, idempotency_key, type, subject_type, subject_id, patient_id, event, body_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (source, idempotency_key) DO NOTHING
     RETURNING id`,
    [
      event.id,
      event.source,
      idempotencyKey,
      event.type,
      event.subject.resourceType,
      event.subject.id,
      event.patientId,
      keyring.sealJson('fields', event, CONTEXT),
      admission.bodyId ?? null,
    ],
  );
  if (inserted.rows.length > 0) {
    return { duplicate: false, id: event.id };
  }
  const existing = await client.query<{ id: string; dispatch: { runs: RunDispatch[] } | null }>(
    'SELECT id, dispatch FROM inbox_events WHERE source = $1 AND idempotency_key = $2',
    [event.source, idempotencyKey],
  );
  const row = existing.rows[0];
  return { duplicate: true, id: row?.id ?? '', runs: row?.dispatch?.runs ?? [] };
}

/** The inbox's earlier answers for idempotency keys it already holds, by key. */
export async function findAdmitted(
  db: Queryable,
  source: string,
  keys: readonly string[],
): Promise<Map<string, { id: string; type: string; runs: RunDispatch[] }>> {
  if (keys.length === 0) {
    return new Map();
  }
  const result = await db.query<{
    id: string;
    type: string;
    idempotency_key: string;
    dispatch: { runs: RunDispatch[] } | null;
  }>(
    `SELECT id, type, idempotency_key, dispatch FROM inbox_events
     WHERE source = $1 AND idempotency_key = ANY($2)`,
    [source, keys],
  );
  return new Map(
    result.rows.map((row) => [
      row.idempotency_key,
      { id: row.id, type: row.type, runs: row.dispatch?.runs ?? [] },
    ]),
  );
}

/** Records the runs an event started; the event leaves the pending queue. */
export async function markDispatched(
  db: Queryable,
  id: string,
  runs: RunDispatch[],
): Promise<void> {
  await db.query(
    `UPDATE inbox_events SET dispatch_state = 'dispatched', dispatch = $2, dispatched_at = now()
     WHERE id = $1`,
    [id, JSON.stringify({ runs })],
  );
}

/** Records what dispatch has done so far while the event stays pending (it will be retried). */
export async function recordPendingDispatch(
  db: Queryable,
  id: string,
  runs: RunDispatch[],
): Promise<void> {
  await db.query('UPDATE inbox_events SET dispatch = $2 WHERE id = $1', [
    id,
    JSON.stringify({ runs }),
  ]);
}

/**
 * Ids of events whose runs have not all been started yet, oldest first, leaving out those
 * received in the last `minAgeSeconds` (their own server is most likely dispatching them).
 */
export async function pendingEventIds(
  db: Queryable,
  options: { limit: number; minAgeSeconds?: number },
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `SELECT id FROM inbox_events WHERE dispatch_state = 'pending'
       AND received_at <= now() - make_interval(secs => $2)
     ORDER BY received_at LIMIT $1`,
    [options.limit, options.minAgeSeconds ?? 0],
  );
  return result.rows.map((row) => row.id);
}

/** One event from the inbox, decrypted. */
export async function loadEvent(
  db: Queryable,
  keyring: Keyring,
  id: string,
): Promise<CareEvent | undefined> {
  const result = await db.query<{ event: Buffer }>('SELECT event FROM inbox_events WHERE id = $1', [
    id,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : keyring.openJson<CareEvent>('fields', row.event, CONTEXT);
}
