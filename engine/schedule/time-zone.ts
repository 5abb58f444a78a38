import { IANAZone } from 'luxon';

/**
 * Whether a name is a real IANA time-zone name that this runtime's Intl data knows.
 *
 * Fixed-offset names like `UTC+2` are refused: a patient's zone must follow its DST rules.
 */
export function isIanaZone(name: string): boolean {
  if (name === 'UTC' || name === 'Etc/UTC') {
    return true;
  }
  return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(name) && IANAZone.isValidZone(name);
}

/**
 * The zone a message should speak in: the first real zone of the candidates, else the fallback.
 *
 * @param candidates - zones in order of preference (appointment, patient, …); blanks are skipped
 * @param fallback - the organisation's zone
 */
export function pickTimeZone(candidates: Array<string | undefined>, fallback: string): string {
  return candidates.find((zone) => zone !== undefined && isIanaZone(zone)) ?? fallback;
}
