import type { CareEvent, EventSubject } from '../../engine/events/care-event.js';
import type { Keyring } from '../crypto/keyring.js';
import type { InboxAdmission, RunDispatch } from './inbox.store.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'inbox_events.event';

/** An event the inbox already holds under an idempotency key, with the runs it started. */
export interface AdmittedEvent {
  id: string;
  type: string;
  subject: EventSubject;
  runs: RunDispatch[];
}

/** The event a source sent under an idempotency key, if the inbox holds it. */
export async function findEventByKey(
  db: Queryable,
  source: string,
  key: string,
): Promise<AdmittedEvent | undefined> {
  const result = await db.query<{
    id: string;
    type: string;
    subject_type: string;
    subject_id: string;
    dispatch: { runs: RunDispatch[] } | null;
  }>(
    `SELECT id, type, subject_type, subject_id, dispatch FROM inbox_events
     WHERE source = $1 AND idempotency_key = $2`,
    [source, key],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        id: row.id,
        type: row.type,
        subject: { resourceType: row.subject_type, id: row.subject_id },
        runs: row.dispatch?.runs ?? [],
      };
}

/** The patient the latest event about a subject from a source was about, if any. */
export async function patientOfSubject(
  db: Queryable,
  source: string,
  subject: EventSubject,
): Promise<string | undefined> {
  const result = await db.query<{ patient_id: string }>(
    `SELECT patient_id FROM inbox_events
     WHERE source = $1 AND subject_type = $2 AND subject_id = $3
     ORDER BY received_at DESC LIMIT 1`,
    [source, subject.resourceType, subject.id],
  );
  return result.rows[0]?.patient_id;
}

/** Whether the directory has a patient with this (Pathwell) id. */
export async function patientExists(db: Queryable, patientId: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM patients WHERE id = $1', [patientId]);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Writes an event whose run the caller starts itself (a manual or scheduled run) to the inbox,
 * already marked dispatched, so the dispatcher loop never mistakes it for an event to route to
 * other runs. Unless the inbox holds the key already: then the earlier event is answered.
 */
export async function admitDirectEvent(
  db: Queryable,
  keyring: Keyring,
  event: CareEvent,
  key: string,
): Promise<InboxAdmission> {
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO inbox_events
       (id, source, idempotency_key, type, subject_type, subject_id, patient_id, event,
        dispatch_state, dispatch, dispatched_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dispatched', '{"runs":[]}', now())
     ON CONFLICT (source, idempotency_key) DO NOTHING
     RETURNING id`,
    [
      event.id,
      event.source,
      key,
      event.type,
      event.subject.resourceType,
      event.subject.id,
      event.patientId,
      keyring.sealJson('fields', event, CONTEXT),
    ],
  );
  if (inserted.rows.length > 0) {
    return { duplicate: false, id: event.id };
  }
  const earlier = await findEventByKey(db, event.source, key);
  return { duplicate: true, id: earlier?.id ?? '', runs: earlier?.runs ?? [] };
}
