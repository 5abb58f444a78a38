import type { Bundle, FhirResource, Patient } from 'fhir/r4.js';
import { AppError } from '../../errors/app-error.js';
import { canonicalJson } from '../../util/canonical-json.js';
import { sha256Hex } from '../../util/hash.js';
import type { IgnoredResource } from '../ingest-plan.js';
import type { PatientRecord } from '../patient-record.js';
import type { FhirMapping } from './generic-mapping.js';
import { normalisePatient } from './patient.js';
import { type BundleIndex, indexBundle, referencedType } from './references.js';
import {
  notificationIgnoreReason,
  readSubscriptionNotification,
} from './subscription-notification.js';
import { readAsSenderFault } from './as-received.js';

export type { IgnoredResource } from '../ingest-plan.js';

/** One resource of a body, with the Bundle entry facts that reference resolution needs. */
export interface Located<TResource> {
  resource: TResource;
  fullUrl?: string | undefined;
  /** Where the resource sits, for error paths: `Bundle.entry[3].resource`, or `Encounter`. */
  path: string;
}

/** A FHIR body read into the resources Pathwell acts on. Produced by {@link readFhirBody}. */
export interface FhirBodyReading {
  /**
   * Patients the body carries, in entries or contained in the resources that refer to them. A
   * contained patient's id is local to its container, so its `sourceId` names both.
   */
  patients: Array<Located<Patient> & { record: PatientRecord; sourceId: string }>;
  /** Resources that may become events: Appointments, MedicationRequests, Encounters, mapped. */
  candidates: Array<Located<FhirResource>>;
  ignored: IgnoredResource[];
  index: BundleIndex;
  /** Resources a subscription notification names but does not carry, to read from the EHR. */
  toFetch: Array<{ resourceType: string; id: string }>;
}

/** What reading a body needs besides the body. */
export interface FhirReadOptions {
  /** The current instant, to tell current contact points from ended ones. */
  now: string;
  /** Configured mappings for resource types Pathwell has no reader for. */
  mappings: readonly FhirMapping[];
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const EVENT_TYPES = new Set(['Appointment', 'MedicationRequest', 'Encounter']);
const FOCUS_ID = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/;

/**
 * Reads a parsed JSON body: a FHIR R4 resource, a `transaction`/`batch`/`collection` Bundle,
 * or a topic-based subscription notification (R4 Backport, R4B, R5). A notification's status
 * entry is consumed (handshakes and heartbeats are reported as ignored); the resources it
 * carries are read like any Bundle's, and those it only names are listed in `toFetch`.
 *
 * @param body - the parsed JSON
 * @throws AppError `body_not_fhir_resource` (400) when the body is not a FHIR resource
 */
export function readFhirBody(body: unknown, options: FhirReadOptions): FhirBodyReading {
  return readAsSenderFault(() => readBody(body, options));
}

function readBody(body: unknown, options: FhirReadOptions): FhirBodyReading {
  const resource = asResource(body, 'The body');
  const entries =
    resource.resourceType === 'Bundle'
      ? bundleEntries(resource)
      : [{ resource, fullUrl: undefined, path: resource.resourceType }];
  const notification =
    resource.resourceType === 'Bundle' ? readSubscriptionNotification(resource) : undefined;
  const reading: FhirBodyReading = {
    patients: [],
    candidates: [],
    ignored: [],
    index: indexBundle(entries),
    toFetch: [],
  };

  const items = notification === undefined ? entries : entries.slice(1);
  if (notification !== undefined) {
    const reason = notificationIgnoreReason(notification);
    if (reason !== undefined) {
      reading.ignored.push({ ...notification.status, reason });
    }
  }
  for (const item of items) {
    addResource(reading, item, options);
  }
  for (const focus of notification?.focus ?? []) {
    const named = focusOf(focus);
    const isCarried =
      reading.index.byFullUrl.has(focus) ||
      (named !== undefined && reading.index.byTypeAndId.has(`${named.resourceType}/${named.id}`));
    if (named !== undefined && !isCarried) {
      reading.toFetch.push(named);
    }
  }
  return reading;
}

/**
 * Adds resources read from the EHR's FHIR server (the focus of an id-only notification, a
 * patient the body only references) to a reading.
 */
export function addFetched(
  reading: FhirBodyReading,
  resources: readonly FhirResource[],
  options: FhirReadOptions,
): FhirBodyReading {
  return readAsSenderFault(() => addResources(reading, resources, options));
}

function addResources(
  reading: FhirBodyReading,
  resources: readonly FhirResource[],
  options: FhirReadOptions,
): FhirBodyReading {
  const located = resources.map((resource) => ({
    resource,
    fullUrl: undefined,
    path: `${resource.resourceType}/${resource.id ?? ''}`,
  }));
  const next: FhirBodyReading = {
    ...reading,
    patients: [...reading.patients],
    candidates: [...reading.candidates],
    ignored: [...reading.ignored],
    index: {
      byFullUrl: new Map(reading.index.byFullUrl),
      byTypeAndId: new Map(reading.index.byTypeAndId),
    },
    toFetch: [],
  };
  for (const item of located) {
    next.index.byTypeAndId.set(`${item.resource.resourceType}/${item.resource.id}`, item.resource);
    addResource(next, item, options);
  }
  return next;
}

/**
 * The key that identifies one version of a resource: its `meta.versionId`, else its
 * `meta.lastUpdated`, else a hash of its canonical JSON. A redelivery of the same version
 * has the same key however its JSON was re-serialised.
 */
export function idempotencyKeyOf(resource: FhirResource): string {
  const base = `${resource.resourceType}/${resource.id ?? ''}`;
  if (resource.meta?.versionId !== undefined) {
    return `${base}/_history/${resource.meta.versionId}`;
  }
  if (resource.meta?.lastUpdated !== undefined) {
    return `${base}@${resource.meta.lastUpdated}`;
  }
  return `${base}#${sha256Hex(canonicalJson(resource))}`;
}

function addResource(
  reading: FhirBodyReading,
  item: Located<FhirResource>,
  options: FhirReadOptions,
): void {
  const { resource } = item;
  if (resource.resourceType === 'Patient') {
    const sourceId = resource.id ?? item.fullUrl ?? '';
    const record = { ...normalisePatient(resource, options.now), sourceId };
    reading.patients.push({ ...item, resource, record, sourceId });
  } else if (
    EVENT_TYPES.has(resource.resourceType) ||
    options.mappings.some((mapping) => mapping.resourceType === resource.resourceType)
  ) {
    reading.candidates.push(item);
    addContainedPatients(reading, item, options);
  } else {
    reading.ignored.push({
      resourceType: resource.resourceType,
      id: resource.id ?? '',
      reason: 'resource_type_unsupported',
    });
  }
}

function addContainedPatients(
  reading: FhirBodyReading,
  item: Located<FhirResource>,
  options: FhirReadOptions,
): void {
  const contained = (item.resource as { contained?: FhirResource[] }).contained ?? [];
  for (const [position, resource] of contained.entries()) {
    if (resource?.resourceType !== 'Patient') {
      continue;
    }
    const sourceId = `${item.resource.resourceType}/${item.resource.id ?? ''}#${resource.id ?? ''}`;
    const record = { ...normalisePatient(resource, options.now), sourceId };
    reading.patients.push({
      resource,
      path: `${item.path}.contained[${position}]`,
      record,
      sourceId,
    });
  }
}

// A focus is usually absolute (the EHR's own URL), sometimes relative. Only its type and id are
// kept: Pathwell reads it from the configured FHIR server, never from a URL a body names.
function focusOf(reference: string): { resourceType: string; id: string } | undefined {
  const resourceType = referencedType(reference);
  const match = FOCUS_ID.exec(`/${reference}`);
  return resourceType === undefined || match === null
    ? undefined
    : { resourceType, id: match[2] as string };
}

function asResource(value: unknown, where: string): FhirResource {
  const candidate = value as { resourceType?: unknown } | null;
  const isResource =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof candidate?.resourceType === 'string' &&
    RESOURCE_TYPE.test(candidate.resourceType);
  if (!isResource) {
    throw new AppError(
      'body_not_fhir_resource',
      `${where} is not a FHIR resource: expected a JSON object with a "resourceType" member ` +
        'such as "Appointment", "Patient" or "Bundle".',
      { issues: [{ code: 'body_not_fhir_resource', message: 'Not a resource', field: where }] },
    );
  }
  return value as FhirResource;
}

function bundleEntries(bundle: Bundle): Array<Located<FhirResource>> {
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new AppError('body_not_fhir_resource', 'Bundle "entry" must be an array of entries.', {
      issues: [{ code: 'body_not_fhir_resource', message: 'Not an array', field: 'Bundle.entry' }],
    });
  }
  const located: Array<Located<FhirResource>> = [];
  for (const [position, entry] of (bundle.entry ?? []).entries()) {
    // Entries without a resource (a transaction's DELETE, a history tombstone) carry nothing
    // that starts a journey.
    if (entry?.resource === undefined) {
      continue;
    }
    const path = `Bundle.entry[${position}].resource`;
    const resource = asResource(entry.resource, path);
    located.push({ resource, fullUrl: entry.fullUrl, path });
  }
  return located;
}
