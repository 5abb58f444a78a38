import { DateTime, FixedOffsetZone } from 'luxon';

/** An HL7 DTM value, read. */
export type Hl7DateTime =
  /** A point in time, as a UTC ISO instant. */
  | { kind: 'instant'; utc: string }
  /** A calendar date without a time of day. */
  | { kind: 'date'; date: string };

/** Where a DTM without its own offset is placed. */
export interface Hl7TimeContext {
  /**
   * The offset of the message header's MSH-7, in minutes, when it has one: HL7 says a value
   * without an offset is in the sender's zone, and MSH-7 is the best word the sender gives of it.
   */
  senderOffsetMinutes?: number | undefined;
  /** The organisation's IANA zone, when the header has no offset either. */
  zone: string;
}

// YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]
const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

/**
 * Reads an HL7 v2 DTM (or TS component 1). Any offset is accepted (`+0215`, `-0800`) and the
 * value is returned as an instant, so values written with different offsets compare correctly.
 *
 * @returns `undefined` for an empty value, `'invalid'` when it is not a DTM or names no day
 */
export function parseHl7DateTime(
  value: string,
  context: Hl7TimeContext,
): Hl7DateTime | 'invalid' | undefined {
  const text = value.trim();
  if (text === '') {
    return undefined;
  }
  const match = DTM.exec(text);
  if (match === null) {
    return 'invalid';
  }
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  if (
    month === undefined ||
    day === undefined ||
    (offset !== undefined && offsetOf(offset) === null)
  ) {
    return 'invalid';
  }
  if (hour === undefined) {
    const date = DateTime.fromObject({
      year: Number(year),
      month: Number(month),
      day: Number(day),
    });
    return date.isValid ? { kind: 'date', date: `${year}-${month}-${day}` } : 'invalid';
  }

  const offsetMinutes = offset === undefined ? context.senderOffsetMinutes : offsetOf(offset);
  if (offsetMinutes === null) {
    return 'invalid';
  }
  const zone = offsetMinutes === undefined ? context.zone : FixedOffsetZone.instance(offsetMinutes);
  const instant = DateTime.fromObject(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
      millisecond: Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)),
    },
    { zone },
  );
  const utc = instant.isValid ? instant.toUTC().toISO({ suppressMilliseconds: true }) : null;
  return utc === null ? 'invalid' : { kind: 'instant', utc };
}

/** The offset of a DTM value in minutes, if it has one (used for MSH-7). */
export function offsetMinutesOf(value: string): number | undefined {
  const offset = DTM.exec(value.trim())?.[8];
  const minutes = offset === undefined ? undefined : offsetOf(offset);
  return minutes ?? undefined;
}

function offsetOf(offset: string): number | null {
  const sign = offset.startsWith('-') ? -1 : 1;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(3, 5));
  if (hours > 14 || minutes > 59) {
    return null;
  }
  return sign * (hours * 60 + minutes);
}
