import { DateTime, IANAZone } from 'luxon';

/** A wall-clock date and time, as a person in some zone reads it off a clock. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** How a wall time maps onto real instants in a zone. */
export type WallTimeKind =
  /** The time exists once. */
  | 'single'
  /** The time does not exist: clocks jumped over it (spring forward). */
  | 'gap'
  /** The time exists twice: clocks were set back over it (fall back). */
  | 'overlap';

const DAY_MS = 86_400_000;

/**
 * The instant a wall time stands for in a zone, decided the same way everywhere in Pathwell:
 * a time that exists twice (the fall-back overlap) is its first occurrence, and a time that
 * does not exist (the spring-forward gap) moves forward by the length of the gap, so 02:30 on
 * a night clocks jump from 02:00 to 03:00 is 03:30.
 *
 * Luxon alone picks the later occurrence in an overlap, which would send a 01:30 reminder an
 * hour late; this resolves the offset itself from the zone's offsets a day either side.
 *
 * @param wall - the wall-clock time
 * @param zone - an IANA zone name
 */
export function resolveWallTime(
  wall: WallTime,
  zone: string,
): { at: DateTime; kind: WallTimeKind } {
  const asUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second ?? 0,
  );
  const tz = IANAZone.create(zone);
  const before = tz.offset(asUtc - DAY_MS);
  const after = tz.offset(asUtc + DAY_MS);
  const fits = (offset: number): number | undefined => {
    const instant = asUtc - offset * 60_000;
    return tz.offset(instant) === offset ? instant : undefined;
  };

  const early = fits(before);
  const late = before === after ? undefined : fits(after);
  if (early !== undefined && late !== undefined) {
    return { at: toZone(Math.min(early, late), zone), kind: 'overlap' };
  }
  const single = early ?? late;
  if (single !== undefined) {
    return { at: toZone(single, zone), kind: 'single' };
  }
  // Read with the offset in force before the jump, the time lands after the gap by its length.
  return { at: toZone(asUtc - before * 60_000, zone), kind: 'gap' };
}

/**
 * The instant of a wall time: {@link resolveWallTime} without the kind.
 *
 * @param wall - the wall-clock time
 * @param zone - an IANA zone name
 */
export function wallTimeToInstant(wall: WallTime, zone: string): DateTime {
  return resolveWallTime(wall, zone).at;
}

/**
 * Adds whole calendar days in a zone, keeping the wall-clock time ("2 days after, same time"),
 * with the gap and overlap rule of {@link resolveWallTime}.
 *
 * @param from - the starting instant, in any zone
 * @param days - days to add (negative to go back)
 * @param zone - an IANA zone name
 */
export function plusCalendarDays(from: DateTime, days: number, zone: string): DateTime {
  const local = from.setZone(zone);
  const day = DateTime.utc(local.year, local.month, local.day).plus({ days });
  return wallTimeToInstant(
    {
      year: day.year,
      month: day.month,
      day: day.day,
      hour: local.hour,
      minute: local.minute,
      second: local.second,
    },
    zone,
  );
}

function toZone(epochMs: number, zone: string): DateTime {
  return DateTime.fromMillis(epochMs, { zone });
}

/**
 * Adds a designer's duration: minutes and hours as elapsed time, days as calendar days in the
 * zone (see {@link plusCalendarDays}).
 *
 * @param from - the starting instant
 * @param duration - how much to add; a negative amount goes back
 * @param zone - an IANA zone name
 */
export function plusDuration(
  from: DateTime,
  duration: { amount: number; unit: 'minutes' | 'hours' | 'days' },
  zone: string,
): DateTime {
  return duration.unit === 'days'
    ? plusCalendarDays(from, duration.amount, zone)
    : from.setZone(zone).plus({ [duration.unit]: duration.amount });
}
