import type { FhirResource } from 'fhir/r4.js';
import { AppError } from '../../engine/errors/app-error.js';
import { lookupsNeeded, planFhirIngest } from '../../engine/events/fhir/plan-fhir.js';
import {
  addFetched,
  type FhirBodyReading,
  type FhirReadOptions,
  readFhirBody,
} from '../../engine/events/fhir/read-body.js';
import type { Config } from '../config/config.js';
import type { Keyring } from '../crypto/keyring.js';
import { loadIngestLookups } from '../db/ingest-lookups.store.js';
import type { Pool } from '../db/pool.js';
import { applyPlan, type IngestResult } from './apply-plan.js';
import { readFromFhirServer } from './fhir-server.js';

export type { AcceptedEvent, IngestResult } from './apply-plan.js';

/** What FHIR ingestion needs. */
export interface IngestDeps {
  pool: Pool;
  keyring: Keyring;
  config: Pick<Config, 'orgTimeZone' | 'fhirMappings' | 'fhirBaseUrl' | 'fhirToken'>;
}

/** A body as received: parsed, and the bytes to keep. */
export interface ReceivedBody {
  parsed: unknown;
  bytes: Buffer;
  contentType: string;
}

// A notification naming more resources than this is split by the EHR into several.
const MAX_READS = 100;

/**
 * Takes in a FHIR body from a source: reads it, reads from the EHR's FHIR server what an
 * id-only notification or an unknown patient reference needs, and writes patients, events and
 * what Pathwell now knows in one transaction (see {@link applyPlan}). Runs are started
 * afterwards, from the inbox.
 *
 * @throws AppError (400, 422) for a body that breaks a rule, (503) when the FHIR server it
 *   needs is unreachable; nothing is then stored
 */
export async function ingestFhir(
  deps: IngestDeps,
  source: string,
  body: ReceivedBody,
): Promise<IngestResult> {
  const receivedAt = new Date().toISOString();
  const options: FhirReadOptions = { now: receivedAt, mappings: deps.config.fhirMappings };
  let reading = readFhirBody(body.parsed, options);
  reading = await fetchResources(deps, reading, { wanted: reading.toFetch, options });

  let needed = lookupsNeeded(reading, options.mappings);
  let lookups = await loadIngestLookups(deps.pool, source, needed);
  const absent = needed.patientIds.filter((id) => !lookups.directory.has(id));
  if (absent.length > 0 && deps.config.fhirBaseUrl !== undefined) {
    // Read patients join the body, so they are stored with it; unknown ones stay unknown.
    const patients = absent.map((id) => ({ resourceType: 'Patient', id }));
    reading = await fetchResources(deps, reading, { wanted: patients, options, isQuiet: true });
    needed = lookupsNeeded(reading, options.mappings);
    lookups = await loadIngestLookups(deps.pool, source, needed);
  }

  const { directory, knownAppointments, knownPrescriptions, admitted } = lookups;
  const plan = planFhirIngest(
    reading,
    {
      knownAppointments,
      knownPrescriptions,
      directoryPatients: new Set(directory.keys()),
      seenKeys: new Set(admitted.keys()),
    },
    { orgTimeZone: deps.config.orgTimeZone, receivedAt, mappings: options.mappings },
  );
  return applyPlan(deps, {
    source,
    plan,
    admitted,
    directory,
    receivedAt,
    body: { contentType: body.contentType, bytes: body.bytes },
  });
}

async function fetchResources(
  deps: IngestDeps,
  reading: FhirBodyReading,
  fetch: {
    wanted: ReadonlyArray<{ resourceType: string; id: string }>;
    options: FhirReadOptions;
    /** Resources not found are left out silently (unknown patients stay unknown). */
    isQuiet?: boolean;
  },
): Promise<FhirBodyReading> {
  const { wanted, options } = fetch;
  if (wanted.length === 0) {
    return reading;
  }
  if (wanted.length > MAX_READS) {
    throw new AppError(
      'request_invalid',
      `The notification names ${wanted.length} resources to read;` +
        ` send at most ${MAX_READS} per notification.`,
    );
  }
  const fetched: FhirResource[] = [];
  const ignored = [...reading.ignored];
  for (const reference of wanted) {
    const read = await readFromFhirServer(deps.config, reference);
    if (read.found) {
      fetched.push(read.resource);
    } else if (fetch.isQuiet !== true) {
      ignored.push({ ...reference, reason: read.reason });
    }
  }
  return addFetched({ ...reading, ignored }, fetched, options);
}
