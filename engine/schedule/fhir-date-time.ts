import { DateTime } from 'luxon';

/** A FHIR date or dateTime value, read. */
export type ParsedDateTime =
  /** A point in time: the value carried a time of day and a UTC offset. */
  | { kind: 'instant'; utc: string; offsetMinutes: number }
  /** A calendar date without a time; where it falls depends on the zone it is read in. */
  | { kind: 'date'; date: string };

/** Why a value could not be read as a date or instant. */
export type DateTimeProblem = 'malformed' | 'no_offset' | 'partial_date';

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PARTIAL_DATE = /^\d{4}(-\d{2})?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a FHIR `date`, `dateTime` or `instant`.
 *
 * A time of day without an offset is refused: FHIR requires the offset, and guessing one would
 * move a reminder by hours. Partial dates (a year, a year and month) cannot anchor a message.
 */
export function parseFhirDateTime(
  value: unknown,
): { ok: true; value: ParsedDateTime } | { ok: false; problem: DateTimeProblem } {
  if (typeof value !== 'string') {
    return { ok: false, problem: 'malformed' };
  }
  if (FULL_DATE.test(value)) {
    const date = DateTime.fromISO(value, { zone: 'UTC' });
    return date.isValid
      ? { ok: true, value: { kind: 'date', date: value } }
      : { ok: false, problem: 'malformed' };
  }
  if (PARTIAL_DATE.test(value)) {
    return { ok: false, problem: 'partial_date' };
  }
  if (!DATE_TIME.test(value)) {
    return { ok: false, problem: 'malformed' };
  }
  if (!HAS_OFFSET.test(value)) {
    return { ok: false, problem: 'no_offset' };
  }

  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) {
    return { ok: false, problem: 'malformed' };
  }
  const utc = parsed.toUTC().toISO({ suppressMilliseconds: true });
  return utc === null
    ? { ok: false, problem: 'malformed' }
    : { ok: true, value: { kind: 'instant', utc, offsetMinutes: parsed.offset } };
}

/**
 * The instant a parsed value stands for when read in a zone: an instant is itself; a date is its
 * local midnight in the zone (so "the day of" rules land on the right calendar day).
 */
export function toInstant(value: ParsedDateTime, zone: string): DateTime {
  return value.kind === 'instant'
    ? DateTime.fromISO(value.utc, { zone: 'UTC' })
    : DateTime.fromISO(value.date, { zone });
}
