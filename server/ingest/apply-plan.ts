import { randomUUID } from 'node:crypto';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { IgnoredResource, IngestPlan } from '../../engine/events/ingest-plan.js';
import type { Keyring } from '../crypto/keyring.js';
import { saveAppointmentState } from '../db/appointments.store.js';
import { storeBody } from '../db/hook-bodies.store.js';
import { admitEvent, type RunDispatch } from '../db/inbox.store.js';
import { upsertPatients } from '../db/patients.store.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { savePrescription } from '../db/prescriptions.store.js';

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

/** What the server looked up for a plan and must carry into its transaction. */
export interface PlanInputs {
  source: string;
  plan: IngestPlan;
  /** The inbox's earlier answers for the plan's redelivered keys. */
  admitted: ReadonlyMap<string, { id: string; type: string; runs: RunDispatch[] }>;
  /** Pathwell's ids of directory patients the plan refers to, by source id. */
  directory: ReadonlyMap<string, string>;
  receivedAt: string;
  body: { contentType: string; bytes: Buffer };
}

/**
 * Writes a plan in one transaction: its patients, the body (once, encrypted, only when it holds
 * events), its events into the inbox, and what Pathwell now knows of its appointments and
 * prescriptions. A body is taken in whole or not at all; runs are started afterwards, from the
 * inbox.
 */
export async function applyPlan(
  deps: { pool: Pool; keyring: Keyring },
  inputs: PlanInputs,
): Promise<IngestResult> {
  const { plan, source } = inputs;
  return withTransaction(deps.pool, async (client) => {
    const stored = await upsertPatients(client, deps.keyring, source, plan.patients);
    const patientIdOf = (sourceId: string) =>
      stored.get(sourceId) ?? inputs.directory.get(sourceId) ?? '';
    const result: IngestResult = {
      accepted: [],
      ignored: plan.ignored,
      stored: plan.patients.map((patient) => ({ resourceType: 'Patient', id: patient.sourceId })),
      toDispatch: [],
    };
    for (const redelivery of plan.redelivered) {
      const earlier = inputs.admitted.get(redelivery.idempotencyKey);
      if (earlier !== undefined) {
        result.accepted.push({
          eventId: earlier.id,
          type: earlier.type,
          duplicate: true,
          runs: earlier.runs,
        });
      }
    }

    const bodyId =
      plan.events.length === 0
        ? undefined
        : await storeBody(client, deps.keyring, { source, ...inputs.body });
    for (const planned of plan.events) {
      const patientId = patientIdOf(planned.patientSourceId);
      const event: CareEvent = {
        id: randomUUID(),
        type: planned.type,
        source,
        subject: planned.subject,
        patientId,
        occurredAt: planned.occurredAt ?? inputs.receivedAt,
        data: { ...planned.data },
      };
      const admission = await admitEvent(client, deps.keyring, {
        event,
        idempotencyKey: planned.idempotencyKey,
        bodyId,
      });
      if (admission.duplicate) {
        result.accepted.push({
          eventId: admission.id,
          type: event.type,
          duplicate: true,
          runs: admission.runs,
        });
        continue;
      }
      if (planned.appointmentState !== undefined) {
        await saveAppointmentState(client, {
          source,
          id: planned.subject.id,
          patientId,
          state: planned.appointmentState,
        });
      }
      result.accepted.push({ eventId: event.id, type: event.type, duplicate: false, runs: [] });
      result.toDispatch.push(event);
    }

    for (const prescription of plan.prescriptions) {
      await savePrescription(client, deps.keyring, {
        source,
        id: prescription.sourceId,
        patientId: patientIdOf(prescription.patientSourceId),
        state: prescription.state,
        record: prescription.record,
      });
    }
    return result;
  });
}
