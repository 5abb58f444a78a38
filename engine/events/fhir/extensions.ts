import type { Extension } from 'fhir/r4.js';

/** The FHIR core extension that names an IANA time zone for a resource. */
export const TIMEZONE_EXTENSION_URL = 'http://hl7.org/fhir/StructureDefinition/timezone';

/**
 * The IANA zone named by a resource's timezone extension, if it has one and the zone is real.
 *
 * @param extensions - the resource's `extension` array
 * @param isZone - tells whether a name is a real IANA zone (the caller's time library decides)
 */
export function timeZoneExtension(
  extensions: Extension[] | undefined,
  isZone: (name: string) => boolean,
): string | undefined {
  const found = extensions?.find((extension) => extension.url === TIMEZONE_EXTENSION_URL);
  const zone = found?.valueCode ?? found?.valueString;
  return zone !== undefined && isZone(zone) ? zone : undefined;
}
