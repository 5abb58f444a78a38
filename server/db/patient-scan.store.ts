import type { PatientRecord } from '../../engine/events/patient-record.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'patients.record';

/**
 * The directory's patients in id order after a cursor, decrypted: how a schedule's segment is
 * found, since the records are encrypted and cannot be filtered in SQL.
 *
 * TODO: a segment over a large directory decrypts every record at every firing. Blind indexes
 * (keyed hashes) of the fields segments test would let PostgreSQL pre-filter; until then a
 * campaign over a directory of millions takes minutes of worker time per firing.
 *
 * @param after - the last id of the previous page, or `null` for the first
 * @param limit - patients per page
 */
export async function scanPatients(
  db: Queryable,
  keyring: Keyring,
  after: string | null,
  limit: number,
): Promise<Array<{ id: string; record: PatientRecord }>> {
  const result = await db.query<{ id: string; record: Buffer }>(
    `SELECT id, record FROM patients WHERE ($1::uuid IS NULL OR id > $1::uuid)
     ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    record: keyring.openJson<PatientRecord>('fields', row.record, CONTEXT),
  }));
}
