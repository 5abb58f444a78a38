import type { KnownAppointment } from '../../engine/events/fhir/appointment.js';
import type { KnownPrescription } from '../../engine/events/ingest-plan.js';
import { type AppointmentRow, knownAppointmentOf } from './appointments.store.js';
import type { RunDispatch } from './inbox.store.js';
import type { Queryable } from './pool.js';

/** What ingestion looks up about a body before planning it, by the body's ids. */
export interface IngestLookupKeys {
  patientIds: readonly string[];
  appointmentIds: readonly string[];
  prescriptionIds: readonly string[];
  idempotencyKeys: readonly string[];
}

/** What Pathwell already knows about a body's resources. */
export interface IngestLookups {
  /** Pathwell's ids of directory patients, by source id. */
  directory: Map<string, string>;
  knownAppointments: Map<string, KnownAppointment>;
  knownPrescriptions: Map<string, KnownPrescription>;
  /** The inbox's earlier answers for keys it already holds. */
  admitted: Map<string, { id: string; type: string; runs: RunDispatch[] }>;
}

interface LookupRow {
  patients: Array<{ id: string; sourceId: string }>;
  appointments: Array<AppointmentRow & { sourceId: string }>;
  prescriptions: Array<{ sourceId: string; status: string; dueDate: string | null }>;
  admitted: Array<{ id: string; type: string; key: string; runs: RunDispatch[] | null }>;
}

// One statement for the four lookups: on a busy webhook each round trip to the database costs
// more than the query itself, and this one runs before every answer.
const LOOKUPS_SQL = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object('id', id, 'sourceId', source_id)), '[]')
       FROM patients WHERE source = $1 AND source_id = ANY($2)) AS patients,
    (SELECT coalesce(json_agg(json_build_object('sourceId', source_id, 'status', status,
              'start', starts_at, 'end', ends_at, 'patientStatus', patient_status)), '[]')
       FROM appointments WHERE source = $1 AND source_id = ANY($3)) AS appointments,
    (SELECT coalesce(json_agg(json_build_object('sourceId', source_id, 'status', status,
              'dueDate', due_date)), '[]')
       FROM prescriptions WHERE source = $1 AND source_id = ANY($4)) AS prescriptions,
    (SELECT coalesce(json_agg(json_build_object('id', id, 'type', type,
              'key', idempotency_key, 'runs', dispatch -> 'runs')), '[]')
       FROM inbox_events WHERE source = $1 AND idempotency_key = ANY($5)) AS admitted`;

/** Reads, in one round trip, what Pathwell knows of a body's patients, appointments,
 * prescriptions and already admitted events from one source. */
export async function loadIngestLookups(
  db: Queryable,
  source: string,
  keys: IngestLookupKeys,
): Promise<IngestLookups> {
  const result = await db.query<LookupRow>(LOOKUPS_SQL, [
    source,
    keys.patientIds,
    keys.appointmentIds,
    keys.prescriptionIds,
    keys.idempotencyKeys,
  ]);
  const row = result.rows[0] as LookupRow;

  return {
    directory: new Map(row.patients.map((patient) => [patient.sourceId, patient.id])),
    knownAppointments: new Map(
      row.appointments.map((known) => [known.sourceId, knownAppointmentOf(known)]),
    ),
    knownPrescriptions: new Map(
      row.prescriptions.map((known) => [
        known.sourceId,
        { status: known.status, dueDate: known.dueDate ?? undefined },
      ]),
    ),
    admitted: new Map(
      row.admitted.map((event) => [
        event.key,
        { id: event.id, type: event.type, runs: event.runs ?? [] },
      ]),
    ),
  };
}
