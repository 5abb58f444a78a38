import { randomUUID } from 'node:crypto';
import type { PatientRecord } from '../../engine/events/patient-record.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'patients.record';

/**
 * Stores or updates patients in the directory and returns Pathwell's opaque id for each.
 *
 * @returns a map from the source's patient id to Pathwell's patient id
 */
export async function upsertPatients(
  client: Queryable,
  keyring: Keyring,
  source: string,
  patients: ReadonlyArray<{ sourceId: string; record: PatientRecord }>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const patient of patients) {
    const sealed = keyring.sealJson('fields', patient.record, CONTEXT);
    const result = await client.query<{ id: string }>(
      `INSERT INTO patients (id, source, source_id, record) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source, source_id) DO UPDATE SET record = EXCLUDED.record, updated_at = now()
       RETURNING id`,
      [randomUUID(), source, patient.sourceId, sealed],
    );
    ids.set(patient.sourceId, result.rows[0]?.id ?? '');
  }
  return ids;
}

/** Pathwell's ids of the directory's patients among `sourceIds`. */
export async function findPatientIds(
  db: Queryable,
  source: string,
  sourceIds: readonly string[],
): Promise<Map<string, string>> {
  if (sourceIds.length === 0) {
    return new Map();
  }
  const result = await db.query<{ id: string; source_id: string }>(
    'SELECT id, source_id FROM patients WHERE source = $1 AND source_id = ANY($2)',
    [source, sourceIds],
  );
  return new Map(result.rows.map((row) => [row.source_id, row.id]));
}

/** One patient's record, decrypted, or `undefined` if the directory has no such patient. */
export async function loadPatient(
  db: Queryable,
  keyring: Keyring,
  patientId: string,
): Promise<PatientRecord | undefined> {
  const result = await db.query<{ record: Buffer }>('SELECT record FROM patients WHERE id = $1', [
    patientId,
  ]);
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : keyring.openJson<PatientRecord>('fields', row.record, CONTEXT);
}
