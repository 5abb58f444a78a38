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
  const result = await db.query<AppointmentRow & { sourceId: string }>(
    `SELECT source_id AS "sourceId", status, starts_at AS start, ends_at AS "end",
       patient_status AS "patientStatus"
     FROM appointments WHERE source = $1 AND source_id = ANY($2)`,
    [source, ids],
  );
  return new Map(result.rows.map((row) => [row.sourceId, knownAppointmentOf(row)]));
}

/** An appointment as the stores read it back, before it becomes a {@link KnownAppointment}. */
export interface AppointmentRow {
  status: string;
  start: string | null;
  end: string | null;
  patientStatus: string | null;
}

/** What Pathwell knows of an appointment, from its stored row. */
export function knownAppointmentOf(row: AppointmentRow): KnownAppointment {
  return {
    status: row.status,
    start: row.start ?? undefined,
    end: row.end ?? undefined,
    patientStatus: row.patientStatus ?? undefined,
  };
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
