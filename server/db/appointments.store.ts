import type { KnownAppointment } from '../../engine/events/fhir/appointment.js';
import type { Queryable } from './pool.js';

/** What Pathwell last knew of each of these appointments. */
export async function loadKnownAppointments(
  db: Queryable,
  source: string,
  ids: readonly string[],
): Promise<Map<string, KnownAppointment>> {
  if (ids.length === 0) {
    return new Map();
  }
  const result = await db.query<{
    source_id: string;
    status: string;
    starts_at: string | null;
    ends_at: string | null;
    patient_status: string | null;
  }>(
    `SELECT source_id, status, starts_at, ends_at, patient_status
     FROM appointments WHERE source = $1 AND source_id = ANY($2)`,
    [source, ids],
  );
  return new Map(
    result.rows.map((row) => [
      row.source_id,
      {
        status: row.status,
        start: row.starts_at ?? undefined,
        end: row.ends_at ?? undefined,
        patientStatus: row.patient_status ?? undefined,
      },
    ]),
  );
}

/** Remembers an appointment's state after an event about it. */
export async function saveAppointmentState(
  client: Queryable,
  appointment: { source: string; id: string; patientId: string; state: KnownAppointment },
): Promise<void> {
  const { source, id, patientId, state } = appointment;
  await client.query(
    `INSERT INTO appointments (source, source_id, patient_id, status, starts_at, ends_at, patient_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (source, source_id) DO UPDATE SET
       patient_id = EXCLUDED.patient_id, status = EXCLUDED.status, starts_at = EXCLUDED.starts_at,
       ends_at = EXCLUDED.ends_at, patient_status = EXCLUDED.patient_status, updated_at = now()`,
    [
      source,
      id,
      patientId,
      state.status,
      state.start ?? null,
      state.end ?? null,
      state.patientStatus ?? null,
    ],
  );
}
