import { evaluateRules } from '../../engine/conditions/evaluate.js';
import { AppError } from '../../engine/errors/app-error.js';
import type { CareEvent } from '../../engine/events/care-event.js';
import { patientFieldValues } from '../../engine/events/patient-record.js';
import { pickTimeZone } from '../../engine/schedule/time-zone.js';
import { sha256Hex } from '../../engine/util/hash.js';
import type { Keyring } from '../../server/crypto/keyring.js';
import { admitDirectEvent } from '../../server/db/event-lookup.store.js';
import { markDispatched } from '../../server/db/inbox.store.js';
import { loadVersion } from '../../server/db/journeys.store.js';
import { scanPatients } from '../../server/db/patient-scan.store.js';
import type { Pool } from '../../server/db/pool.js';
import { startRun } from '../../server/ingest/start-run.js';
import type { Logger } from '../../server/log/logger.js';
import type { TemporalHandle } from '../../server/temporal/temporal-client.js';

/** What fanning out needs: the directory, and a Temporal client to start runs with. */
export interface ScheduleActivityDeps {
  pool: Pool;
  keyring: Keyring;
  temporal: TemporalHandle;
  log: Logger;
  orgTimeZone: string;
}

/** One batch of one firing. */
export interface FanOutInput {
  journeyId: string;
  versionId: string;
  /** The firing instant: the segment's relative dates are read against it. */
  firing: string;
  /** The last patient id the previous batch looked at, or `null` for the first batch. */
  after: string | null;
  /** At most this many runs per batch. */
  limit: number;
}

/** What one batch did. */
export interface FanOutResult {
  started: number;
  /** Runs this firing had already started for these patients (a retried batch). */
  existing: number;
  scanned: number;
  /** Where the next batch starts, or `null` when the directory is done. */
  nextCursor: string | null;
}

/** The source and event type of scheduled runs' inbox events. */
export const SCHEDULE_SOURCE = 'pathwell.schedule';
export const SCHEDULED_EVENT_TYPE = 'journey.scheduled';

// A batch reads at most this many records, so one activity attempt stays well inside its
// timeout however few patients match.
const MAX_SCANNED_PER_BATCH = 5_000;
const PAGE = 500;

/**
 * Starts the runs of one batch of a schedule firing: walks the directory from the cursor,
 * keeps the patients the segment selects (never the deceased), and starts each one's run on
 * the pinned version, until `limit` runs or the scan bound. Safe to retry: each patient's
 * inbox event and run id are derived from journey, firing and patient, so a retry starts no
 * run twice.
 */
export async function fanOutBatch(
  deps: ScheduleActivityDeps,
  input: FanOutInput,
): Promise<FanOutResult> {
  const version = await loadVersion(deps.pool, input.versionId);
  const trigger = version?.plan.trigger;
  if (version === undefined || trigger?.kind !== 'schedule') {
    throw new AppError(
      'internal_error',
      `Version "${input.versionId}" is not a scheduled journey version.`,
    );
  }

  const result: FanOutResult = { started: 0, existing: 0, scanned: 0, nextCursor: input.after };
  while (result.started + result.existing < input.limit && result.scanned < MAX_SCANNED_PER_BATCH) {
    const page = await scanPatients(deps.pool, deps.keyring, result.nextCursor, PAGE);
    if (page.length === 0) {
      return { ...result, nextCursor: null };
    }
    for (const patient of page) {
      result.scanned += 1;
      result.nextCursor = patient.id;
      const zone = pickTimeZone([patient.record.timeZone], deps.orgTimeZone);
      const facts = { ...patientFieldValues(patient.record), 'patient.timeZone': zone };
      const isSelected =
        !patient.record.deceased &&
        evaluateRules(trigger.segment, facts, { now: input.firing, zone });
      if (isSelected) {
        const started = await startFor(deps, version, input, patient.id);
        result[started ? 'started' : 'existing'] += 1;
      }
      if (result.started + result.existing >= input.limit) {
        break;
      }
    }
  }
  deps.log.info(
    { journeyId: input.journeyId, started: result.started, scanned: result.scanned },
    'Schedule batch started runs',
  );
  return result;
}

async function startFor(
  deps: ScheduleActivityDeps,
  version: NonNullable<Awaited<ReturnType<typeof loadVersion>>>,
  input: FanOutInput,
  patientId: string,
): Promise<boolean> {
  const key = `${input.journeyId}/${input.firing}/${patientId}`;
  const event: CareEvent = {
    id: uuidFrom(key),
    type: SCHEDULED_EVENT_TYPE,
    source: SCHEDULE_SOURCE,
    subject: { resourceType: 'ScheduleFiring', id: `${input.firing}/${patientId}` },
    patientId,
    occurredAt: input.firing,
    data: {},
  };
  const admission = await admitDirectEvent(deps.pool, deps.keyring, event, key);
  const started = await startRun(deps, version, { ...event, id: admission.id || event.id });
  if (started !== undefined) {
    await markDispatched(deps.pool, event.id, [started]);
  }
  return started !== undefined;
}

// The inbox id is derived from the key, so a retried batch writes the same row.
function uuidFrom(key: string): string {
  const hex = sha256Hex(key);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
