import { DateTime, IANAZone } from 'luxon';
import { type CronSchedule, matchesDay } from './cron.js';
import { resolveWallTime } from './local-time.js';

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// How far either side of an instant a zone's offsets are sampled: DST moves an hour (two at
// most), but zones have also skipped a whole day (Samoa in 2011).
const MAX_OFFSET_JUMP_MS = 26 * HOUR_MS;

// A schedule on 29 February fires every four years, and 2100 is not a leap year.
const HORIZON_DAYS = 366 * 8 + 2;

/**
 * The first firing of a cron schedule strictly after an instant, in a zone.
 *
 * Each local time the schedule names fires exactly once, on the days clocks change too: a time
 * in the fall-back overlap fires at its first occurrence only, and a time in the spring-forward
 * gap fires once, moved forward by the gap (02:30 becomes 03:30), merging with any firing the
 * schedule already has at that instant. Temporal's own calendar schedules fire twice or never
 * across a change, which is why a schedule trigger sleeps until the instant this returns.
 *
 * @param schedule - the parsed cron expression
 * @param zone - the IANA zone the expression's times are read in
 * @param after - an ISO 8601 instant; the firing returned is later than it
 * @returns the firing as an ISO 8601 UTC instant, or `undefined` when there is none within eight
 *   years (only possible for a schedule parseCron refuses)
 */
export function nextFiring(
  schedule: CronSchedule,
  zone: string,
  after: string,
): string | undefined {
  const afterMs = Date.parse(after);
  const tz = IANAZone.create(zone);
  const local = DateTime.fromMillis(afterMs, { zone });
  const hours = sorted(schedule.hours);
  const minutes = sorted(schedule.minutes);
  const seconds = sorted(schedule.seconds);
  // A wall time is its naive UTC reading minus the zone's offset then: a wall time whose every
  // reading is at or before `after` is skipped, and once a firing is found, a later wall time
  // whose every reading is after it ends the search.
  const early = offsetsAround(tz, afterMs);
  const isBefore = (naive: number, span: number) => naive + span - 1 <= afterMs + early.min;

  let best: { at: number; late: number } | undefined;
  const isBeyond = (naive: number) => best !== undefined && naive - best.late > best.at;
  const firstDay = Date.UTC(local.year, local.month - 1, local.day) - 2 * DAY_MS;
  for (let index = 0; index < HORIZON_DAYS; index += 1) {
    const dayNaive = firstDay + index * DAY_MS;
    if (isBeyond(dayNaive)) {
      break;
    }
    const day = new Date(dayNaive);
    const isScheduledDay = matchesDay(schedule, {
      month: day.getUTCMonth() + 1,
      dayOfMonth: day.getUTCDate(),
      dayOfWeek: day.getUTCDay(),
    });
    if (!isScheduledDay || isBefore(dayNaive, DAY_MS)) {
      continue;
    }

    for (const hour of hours) {
      const hourNaive = dayNaive + hour * HOUR_MS;
      if (isBeyond(hourNaive)) {
        break;
      }
      if (isBefore(hourNaive, HOUR_MS)) {
        continue;
      }
      for (const minute of minutes) {
        const minuteNaive = hourNaive + minute * MINUTE_MS;
        if (isBeyond(minuteNaive)) {
          break;
        }
        if (isBefore(minuteNaive, MINUTE_MS)) {
          continue;
        }
        const found = firstInMinute({ day, hour, minute, zone, seconds }, afterMs);
        if (found !== undefined && (best === undefined || found < best.at)) {
          best = { at: found, late: offsetsAround(tz, found).max };
        }
      }
    }
  }
  return best === undefined
    ? undefined
    : (DateTime.fromMillis(best.at, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) ??
        undefined);
}

// The lowest and highest offset (as milliseconds) a zone has near an instant. A zone changes
// offset at most once within the window in any tz data, so its ends and middle cover both sides.
function offsetsAround(tz: IANAZone, at: number): { min: number; max: number } {
  const offsets = [at - MAX_OFFSET_JUMP_MS, at, at + MAX_OFFSET_JUMP_MS].map(
    (instant) => tz.offset(instant) * MINUTE_MS,
  );
  return { min: Math.min(...offsets), max: Math.max(...offsets) };
}

// Offsets change on whole minutes, so one resolution covers every second of the minute.
function firstInMinute(
  at: { day: Date; hour: number; minute: number; zone: string; seconds: number[] },
  afterMs: number,
): number | undefined {
  const base = resolveWallTime(
    {
      year: at.day.getUTCFullYear(),
      month: at.day.getUTCMonth() + 1,
      day: at.day.getUTCDate(),
      hour: at.hour,
      minute: at.minute,
    },
    at.zone,
  ).at.toMillis();
  for (const second of at.seconds) {
    if (base + second * SECOND_MS > afterMs) {
      return base + second * SECOND_MS;
    }
  }
  return undefined;
}

function sorted(values: ReadonlySet<number>): number[] {
  return [...values].sort((a, b) => a - b);
}
