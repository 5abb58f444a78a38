import type { Purpose } from '../../engine/journey/vocabulary.js';
import type { Queryable } from './pool.js';

/** The channel opt-outs that stop an email for a purpose: that purpose's, and `all`. */
export async function findEmailOptOut(
  db: Queryable,
  patientId: string,
  purpose: Purpose,
): Promise<{ purpose: string; recordedAt: string } | undefined> {
  const result = await db.query<{ purpose: string; recorded_at: Date }>(
    `SELECT purpose, recorded_at FROM channel_opt_outs
     WHERE patient_id = $1 AND channel = 'email' AND purpose IN ($2, 'all')
     ORDER BY recorded_at LIMIT 1`,
    [patientId, purpose],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : { purpose: row.purpose, recordedAt: row.recorded_at.toISOString() };
}

/** Records that a patient wants no email for a purpose (or for `all`). */
export async function recordEmailOptOut(
  db: Queryable,
  patientId: string,
  purpose: Purpose | 'all',
): Promise<void> {
  await db.query(
    `INSERT INTO channel_opt_outs (patient_id, channel, purpose) VALUES ($1, 'email', $2)
     ON CONFLICT DO NOTHING`,
    [patientId, purpose],
  );
}
