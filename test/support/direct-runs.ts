import { randomUUID } from 'node:crypto';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { PatientRecord } from '../../engine/events/patient-record.js';
import type { RunInput } from '../../engine/interpreter/run-state.js';
import { admitEvent } from '../../server/db/inbox.store.js';
import type { JourneyVersion } from '../../server/db/journeys.store.js';
import { upsertPatients } from '../../server/db/patients.store.js';
import { recordRunStarted } from '../../server/db/runs.store.js';
import { workflowIdFor } from '../../server/ingest/workflow-id.js';
import type { JourneyRunArgs } from '../../workflows/journey.workflow.js';
import type { Harness } from './harness.js';

/** Puts a made-up patient with a unique address into the directory; returns Pathwell's id. */
export async function addPatient(
  harness: Harness,
  record: Partial<PatientRecord> = {},
): Promise<{ id: string; email: string | undefined }> {
  const sourceId = `p-${randomUUID().slice(0, 8)}`;
  const email = 'email' in record ? record.email : `${sourceId}@example.org`;
  const ids = await upsertPatients(harness.pool, harness.keyring, 'local', [
    { sourceId, record: { sourceId, firstName: 'Alex', deceased: false, ...record, email } },
  ]);
  return { id: ids.get(sourceId) as string, email };
}

/** An appointment event about a fresh appointment of a patient, written to the inbox. */
export async function admitAppointment(
  harness: Harness,
  patientId: string,
  start: Date,
  options: { type?: string; appointmentId?: string } = {},
): Promise<CareEvent> {
  const appointmentId = options.appointmentId ?? `apt-${randomUUID().slice(0, 8)}`;
  const event: CareEvent = {
    id: randomUUID(),
    type: options.type ?? 'appointment.booked',
    source: 'local',
    subject: { resourceType: 'Appointment', id: appointmentId },
    patientId,
    occurredAt: new Date().toISOString(),
    data: {
      appointment: {
        id: appointmentId,
        status: 'booked',
        start: start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        location: 'South Wing',
      },
    },
  };
  await admitEvent(harness.pool, harness.keyring, {
    event,
    idempotencyKey: `${event.type}/${event.id}`,
  });
  return event;
}

/** Starts a run of a version for an inbox event straight through the Temporal client. */
export async function startDirectRun(
  harness: Harness,
  version: JourneyVersion,
  event: CareEvent,
  extra: Omit<JourneyRunArgs, 'input'> = {},
): Promise<string> {
  const workflowId = workflowIdFor(version.journeyId, event);
  const input: RunInput = {
    journeyId: version.journeyId,
    versionId: version.id,
    planHash: version.planHash,
    plan: version.plan,
    event,
    orgTimeZone: harness.config.orgTimeZone,
  };
  await recordRunStarted(harness.pool, {
    workflowId,
    journeyId: version.journeyId,
    versionId: version.id,
    eventId: event.id,
    patientId: event.patientId,
  });
  await harness.temporal.client.workflow.start('journeyRun', {
    workflowId,
    taskQueue: harness.temporal.taskQueue,
    args: [{ input, ...extra }],
  });
  return workflowId;
}
