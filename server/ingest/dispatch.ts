import { WorkflowNotFoundError } from '@temporalio/client';
import { evaluateRules } from '../../engine/conditions/evaluate.js';
import type { CareEvent } from '../../engine/events/care-event.js';
import { patientFieldValues } from '../../engine/events/patient-record.js';
import { factsOf, runTimeZone } from '../../engine/interpreter/facts.js';
import type { Keyring } from '../crypto/keyring.js';
import { markDispatched, recordPendingDispatch, type RunDispatch } from '../db/inbox.store.js';
import { type JourneyVersion, publishedVersionsFor } from '../db/journeys.store.js';
import { loadPatient } from '../db/patients.store.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log/logger.js';
import type { TemporalHandle } from '../temporal/temporal-client.js';
import { startRun } from './start-run.js';

/** What dispatching needs. */
export interface DispatchDeps {
  pool: Pool;
  keyring: Keyring;
  temporal: TemporalHandle;
  orgTimeZone: string;
  log: Logger;
}

/**
 * Starts the runs an inbox event triggers and signals the runs already in flight for its
 * subject (a reschedule, a cancellation, a confirmation), then marks the event dispatched.
 *
 * Safe to repeat: a run that already exists is not started twice (its workflow id is derived
 * from journey and subject), so the dispatcher loop can retry an event whose dispatch was cut
 * short.
 *
 * @throws when Temporal cannot be reached; the event then stays pending for the loop
 */
export async function dispatchEvent(deps: DispatchDeps, event: CareEvent): Promise<RunDispatch[]> {
  const runs: RunDispatch[] = [];
  try {
    runs.push(...(await signalRunningRuns(deps, event)));
    const isOvertaken = await isOvertakenByCancellation(deps, event);
    if (isOvertaken) {
      deps.log.info({ eventId: event.id }, 'Run not started: a later cancellation overtook it');
    }
    const versions = isOvertaken ? [] : await publishedVersionsFor(deps.pool, event.type);
    for (const version of versions) {
      if (!(await passesTriggerFilter(deps, version, event))) {
        continue;
      }
      const started = await startRun(deps, version, event);
      if (started !== undefined) {
        runs.push(started);
        await cancelIfOvertaken(deps, event, started.workflowId);
      }
    }
  } catch (error) {
    await recordPendingDispatch(deps.pool, event.id, runs).catch(() => undefined);
    throw error;
  }
  await markDispatched(deps.pool, event.id, runs);
  return runs;
}

async function signalRunningRuns(deps: DispatchDeps, event: CareEvent): Promise<RunDispatch[]> {
  const signal = signalFor(event.type);
  if (signal === undefined) {
    return [];
  }
  const running = await deps.pool.query<{
    workflow_id: string;
    journey_id: string;
    version_id: string;
  }>(
    `SELECT r.workflow_id, r.journey_id, r.version_id
     FROM runs r JOIN inbox_events e ON e.id = r.event_id
     WHERE e.source = $1 AND e.subject_type = $2 AND e.subject_id = $3 AND r.status = 'running'
     ORDER BY r.workflow_id`,
    [event.source, event.subject.resourceType, event.subject.id],
  );

  const signalled: RunDispatch[] = [];
  for (const run of running.rows) {
    const handle = deps.temporal.client.workflow.getHandle(run.workflow_id);
    try {
      if (signal === 'cancelled') {
        await handle.signal('cancelled', { reason: 'appointment_cancelled' });
      } else {
        await handle.signal(signal, event);
      }
      signalled.push({
        journeyId: run.journey_id,
        versionId: run.version_id,
        workflowId: run.workflow_id,
        action: 'signalled',
      });
    } catch (error) {
      // The run ended between the query and the signal: nothing left to tell it.
      if (!(error instanceof WorkflowNotFoundError)) {
        throw error;
      }
    }
  }
  return signalled;
}

// An event left pending (Temporal was down) can be dispatched by the inbox loop after a later
// cancellation of the same appointment was already handled; starting its run then would remind
// a patient of an appointment that will not take place.
async function isOvertakenByCancellation(deps: DispatchDeps, event: CareEvent): Promise<boolean> {
  if (!event.type.startsWith('appointment.') || event.type === 'appointment.cancelled') {
    return false;
  }
  const later = await deps.pool.query(
    `SELECT 1 FROM inbox_events later JOIN inbox_events this ON this.id = $4
     WHERE later.source = $1 AND later.subject_type = $2 AND later.subject_id = $3
       AND later.type = 'appointment.cancelled' AND later.received_at > this.received_at
     LIMIT 1`,
    [event.source, event.subject.resourceType, event.subject.id, event.id],
  );
  return later.rows.length > 0;
}

// Another server can take in the cancellation while this one is starting the booking's run:
// its signal then finds no run yet. Looking again once the run exists closes that gap (a
// cancellation that arrives later still finds the run and signals it itself).
async function cancelIfOvertaken(
  deps: DispatchDeps,
  event: CareEvent,
  workflowId: string,
): Promise<void> {
  if (await isOvertakenByCancellation(deps, event)) {
    deps.log.info({ eventId: event.id, workflowId }, 'Run cancelled: a cancellation overtook it');
    await deps.temporal.client.workflow
      .getHandle(workflowId)
      .signal('cancelled', { reason: 'appointment_cancelled' });
  }
}

function signalFor(type: string): 'rescheduled' | 'cancelled' | 'patientEvent' | undefined {
  switch (type) {
    case 'appointment.booked':
      return undefined;
    case 'appointment.rescheduled':
      return 'rescheduled';
    case 'appointment.cancelled':
      return 'cancelled';
    default:
      return 'patientEvent';
  }
}

async function passesTriggerFilter(
  deps: DispatchDeps,
  version: JourneyVersion,
  event: CareEvent,
): Promise<boolean> {
  const trigger = version.plan.trigger;
  if (trigger.kind !== 'event' || trigger.filter === undefined) {
    return true;
  }
  const record = await loadPatient(deps.pool, deps.keyring, event.patientId);
  const patient = { timeZone: record?.timeZone, fields: patientFieldValues(record) };
  const zone = runTimeZone(event, patient, deps.orgTimeZone);
  return evaluateRules(trigger.filter, factsOf(event, patient, zone), {
    now: new Date().toISOString(),
    zone,
  });
}
