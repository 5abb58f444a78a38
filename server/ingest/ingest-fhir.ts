import { randomUUID } from 'node:crypto';
import type { CareEvent } from '../../engine/events/care-event.js';
import {
  type IgnoredResource,
  lookupsNeeded,
  planFhirIngest,
  readFhirBody,
} from '../../engine/events/fhir/read-body.js';
import type { Keyring } from '../crypto/keyring.js';
import { loadKnownAppointments, saveAppointmentState } from '../db/appointments.store.js';
import { admitEvent, findAdmitted, type RunDispatch } from '../db/inbox.store.js';
import { findPatientIds, upsertPatients } from '../db/patients.store.js';
import { type Pool, withTransaction } from '../db/pool.js';

/** One event a body produced, as the webhook answers it. */
export interface AcceptedEvent {
  eventId: string;
  type: string;
  duplicate: boolean;
  runs: RunDispatch[];
}

/** What ingesting one body did, before runs are started. */
export interface IngestResult {
  accepted: AcceptedEvent[];
  ignored: IgnoredResource[];
  stored: Array<{ resourceType: 'Patient'; id: string }>;
  /** Events new to the inbox, whose runs are still to be started. */
  toDispatch: CareEvent[];
}

/**
 * Takes in a parsed FHIR body from a source: reads it, stores its patients, and writes its
 * events to the inbox, all in one transaction, so a body is either taken in whole or not at all.
 * Runs are started afterwards (see dispatch), from the inbox.
 *
 * @throws AppError (400, 422) for a body that breaks a rule; nothing is then stored
 */
export async function ingestFhir(
  deps: { pool: Pool; keyring: Keyring },
  source: string,
  body: unknown,
): Promise<IngestResult> {
  const now = new Date().toISOString();
  const reading = readFhirBody(body, now);
  const needed = lookupsNeeded(reading);
  // Sequential on purpose: in embedded mode the pool shares one PGlite session.
  const knownAppointments = await loadKnownAppointments(deps.pool, source, needed.appointmentIds);
  const directory = await findPatientIds(deps.pool, source, needed.patientIds);
  const admitted = await findAdmitted(deps.pool, source, needed.idempotencyKeys);
  const plan = planFhirIngest(reading, {
    knownAppointments,
    directoryPatients: new Set(directory.keys()),
    seenKeys: new Set(admitted.keys()),
  });

  return withTransaction(deps.pool, async (client) => {
    const stored = await upsertPatients(client, deps.keyring, source, plan.patients);
    const result: IngestResult = {
      accepted: [],
      ignored: plan.ignored,
      stored: plan.patients.map((patient) => ({ resourceType: 'Patient', id: patient.sourceId })),
      toDispatch: [],
    };
    for (const redelivery of plan.redelivered) {
      const earlier = admitted.get(redelivery.idempotencyKey);
      if (earlier !== undefined) {
        result.accepted.push({
          eventId: earlier.id,
          type: earlier.type,
          duplicate: true,
          runs: earlier.runs,
        });
      }
    }

    for (const planned of plan.events) {
      const patientId =
        stored.get(planned.patientSourceId) ?? directory.get(planned.patientSourceId) ?? '';
      const event: CareEvent = {
        id: randomUUID(),
        type: planned.type,
        source,
        subject: planned.subject,
        patientId,
        occurredAt: now,
        data: { ...planned.data },
      };
      const admission = await admitEvent(client, deps.keyring, event, planned.idempotencyKey);
      if (admission.duplicate) {
        result.accepted.push({
          eventId: admission.id,
          type: event.type,
          duplicate: true,
          runs: admission.runs,
        });
        continue;
      }
      await saveAppointmentState(client, {
        source,
        id: planned.subject.id,
        patientId,
        state: planned.appointmentState,
      });
      result.accepted.push({ eventId: event.id, type: event.type, duplicate: false, runs: [] });
      result.toDispatch.push(event);
    }
    return result;
  });
}
