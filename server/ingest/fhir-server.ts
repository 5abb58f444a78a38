import type { FhirResource } from 'fhir/r4.js';
import { AppError } from '../../engine/errors/app-error.js';

/** Where the EHR's FHIR server is, from configuration. */
export interface FhirServerSettings {
  fhirBaseUrl: string | undefined;
  fhirToken: string | undefined;
}

/** What reading one resource from the EHR found. */
export type FhirRead =
  | { found: true; resource: FhirResource }
  | { found: false; reason: 'fhir_server_not_configured' | 'focus_not_found' };

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 10 * 1024 * 1024;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * Reads `<PATHWELL_FHIR_BASE_URL>/<type>/<id>` with the configured bearer token. Only the
 * configured base is ever contacted: a URL named in a notification is reduced to its type and
 * id, so a body cannot make Pathwell fetch anything else.
 *
 * @throws AppError `dependency_unavailable` (503) when the server cannot be reached or fails,
 *   so the EHR delivers the notification again later and nothing is lost
 */
export async function readFromFhirServer(
  settings: FhirServerSettings,
  reference: { resourceType: string; id: string },
): Promise<FhirRead> {
  if (settings.fhirBaseUrl === undefined) {
    return { found: false, reason: 'fhir_server_not_configured' };
  }
  if (!TYPE.test(reference.resourceType) || !ID.test(reference.id)) {
    return { found: false, reason: 'focus_not_found' };
  }
  const url = `${settings.fhirBaseUrl}/${reference.resourceType}/${encodeURIComponent(reference.id)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/fhir+json',
        ...(settings.fhirToken === undefined
          ? {}
          : { authorization: `Bearer ${settings.fhirToken}` }),
      },
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw unavailable(reference.resourceType, error);
  }
  if (response.status === 404 || response.status === 410) {
    return { found: false, reason: 'focus_not_found' };
  }
  if (!response.ok) {
    throw unavailable(
      reference.resourceType,
      new AppError('dependency_unavailable', `HTTP ${response.status}`),
    );
  }
  const text = await response.text();
  const resource = text.length > MAX_BYTES ? undefined : parseResource(text);
  const isSame = resource?.resourceType === reference.resourceType && resource.id === reference.id;
  return isSame ? { found: true, resource } : { found: false, reason: 'focus_not_found' };
}

function parseResource(text: string): FhirResource | undefined {
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    return typeof value === 'object' && value !== null ? (value as FhirResource) : undefined;
  } catch {
    return undefined;
  }
}

function unavailable(resourceType: string, cause: unknown): AppError {
  return new AppError(
    'dependency_unavailable',
    `The EHR's FHIR server (PATHWELL_FHIR_BASE_URL) did not answer a read of a ${resourceType}; send the notification again later.`,
    { cause },
  );
}
