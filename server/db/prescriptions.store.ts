import type { KnownPrescription, PrescriptionRecord } from '../../engine/events/ingest-plan.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'prescriptions.record';

/** What Pathwell last knew of each of these prescriptions. */
export async function loadKnownPrescriptions(
  db: Queryable,
  source: string,
  ids: readonly string[],
): Promise<Map<string, KnownPrescription>> {
  if (ids.length === 0) {
    return new Map();
  }
  const result = await db.query<{ source_id: string; status: string; due_date: string | null }>(
    'SELECT source_id, status, due_date FROM prescriptions WHERE source = $1 AND source_id = ANY($2)',
    [source, ids],
  );
  return new Map(
    result.rows.map((row) => [
      row.source_id,
      { status: row.status, dueDate: row.due_date ?? undefined },
    ]),
  );
}

/** Remembers a prescription's state and data (the data encrypted: it names the medication). */
export async function savePrescription(
  client: Queryable,
  keyring: Keyring,
  prescription: {
    source: string;
    id: string;
    patientId: string;
    state: KnownPrescription;
    record: PrescriptionRecord;
  },
): Promise<void> {
  const { source, id, patientId, state, record } = prescription;
  await client.query(
    `INSERT INTO prescriptions (source, source_id, patient_id, status, due_date, record)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (source, source_id) DO UPDATE SET
       patient_id = EXCLUDED.patient_id, status = EXCLUDED.status, due_date = EXCLUDED.due_date,
       record = EXCLUDED.record, updated_at = now()`,
    [
      source,
      id,
      patientId,
      state.status,
      state.dueDate ?? null,
      keyring.sealJson('fields', record, CONTEXT),
    ],
  );
}

/** One prescription's data, decrypted, if Pathwell has it. */
export async function loadPrescription(
  db: Queryable,
  keyring: Keyring,
  source: string,
  id: string,
): Promise<(KnownPrescription & { record: PrescriptionRecord; patientId: string }) | undefined> {
  const result = await db.query<{
    status: string;
    due_date: string | null;
    record: Buffer;
    patient_id: string;
  }>(
    'SELECT status, due_date, record, patient_id FROM prescriptions WHERE source = $1 AND source_id = $2',
    [source, id],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        status: row.status,
        dueDate: row.due_date ?? undefined,
        patientId: row.patient_id,
        record: keyring.openJson<PrescriptionRecord>('fields', row.record, CONTEXT),
      };
}
