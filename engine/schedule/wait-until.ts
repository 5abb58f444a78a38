import type { DateTime } from 'luxon';
import type { Duration } from '../journey/vocabulary.js';
import { parseFhirDateTime, toInstant } from './fhir-date-time.js';
import { plusDuration, wallTimeToInstant } from './local-time.js';

/** A wait rule: an instant relative to an anchor, kept out of quiet hours and off-days. */
export interface WaitUntilRule {
  offset: Duration & { direction: 'before' | 'after' };
  atLocalTime?: string | undefined;
  quietHours?: { start: string; end: string } | undefined;
  weekdays?: number[] | undefined;
}

/** The instant a wait ends, or why it has none. */
export type WaitUntilResult =
  | { ok: true; at: string }
  | { ok: false; reason: 'anchor_missing' | 'anchor_invalid' };

/**
 * Computes when a `wait.until` ends, in the patient's zone.
 *
 * Minutes and hours are elapsed time ("24 hours before" is 24 real hours, even across a DST
 * change); days are calendar days ("1 day before at 10:00" is 10:00 local on the day before).
 * A local time that does not exist (the spring-forward gap) moves forward by the gap; one that
 * exists twice (the fall-back overlap) is its first occurrence ({@link wallTimeToInstant}). A
 * date-only anchor is local midnight of that day. Quiet hours and disallowed
 * weekdays push the instant later, never earlier: a reminder is late rather than at 3 a.m.
 *
 * @param rule - the wait rule
 * @param anchor - the anchor value (an ISO instant with offset, or a date)
 * @param zone - the patient's IANA zone
 */
export function computeWaitUntil(
  rule: WaitUntilRule,
  anchor: unknown,
  zone: string,
): WaitUntilResult {
  if (anchor === undefined || anchor === null || anchor === '') {
    return { ok: false, reason: 'anchor_missing' };
  }
  const parsed = parseFhirDateTime(anchor);
  if (!parsed.ok) {
    return { ok: false, reason: 'anchor_invalid' };
  }

  const base = toInstant(parsed.value, zone).setZone(zone);
  const sign = rule.offset.direction === 'before' ? -1 : 1;
  let at = plusDuration(base, { amount: sign * rule.offset.amount, unit: rule.offset.unit }, zone);
  if (rule.atLocalTime !== undefined) {
    at = atLocalTime(at, rule.atLocalTime);
  }
  at = keepOutOfQuietTimes(at, rule);
  return { ok: true, at: toUtcIso(at) };
}

/** Whether an instant is at or before now. */
export function hasPassed(at: string, now: string): boolean {
  return Date.parse(at) <= Date.parse(now);
}

function atLocalTime(day: DateTime, time: string): DateTime {
  const minutes = toMinutes(time);
  return localInstant(day, Math.floor(minutes / 60), minutes % 60);
}

function localInstant(day: DateTime, hour: number, minute: number): DateTime {
  return wallTimeToInstant(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    day.zoneName ?? 'UTC',
  );
}

function keepOutOfQuietTimes(start: DateTime, rule: WaitUntilRule): DateTime {
  let at = start;
  // Each pass fixes quiet hours, then the weekday; a week and a day of passes reaches a fixed
  // point for any rule (weekdays has at least one day).
  for (let pass = 0; pass < 9; pass += 1) {
    const moved = moveToAllowedWeekday(moveOutOfQuietHours(at, rule.quietHours), rule);
    if (moved.equals(at)) {
      return at;
    }
    at = moved;
  }
  return at;
}

function moveOutOfQuietHours(at: DateTime, quiet: WaitUntilRule['quietHours']): DateTime {
  if (quiet === undefined) {
    return at;
  }
  const minuteOfDay = at.hour * 60 + at.minute;
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  const isOvernight = start > end;
  const isQuiet = isOvernight
    ? minuteOfDay >= start || minuteOfDay < end
    : minuteOfDay >= start && minuteOfDay < end;
  if (!isQuiet) {
    return at;
  }
  const endsTomorrow = isOvernight && minuteOfDay >= start;
  const day = endsTomorrow ? at.plus({ days: 1 }) : at;
  return localInstant(day, Math.floor(end / 60), end % 60);
}

function moveToAllowedWeekday(at: DateTime, rule: WaitUntilRule): DateTime {
  const allowed = rule.weekdays;
  if (allowed === undefined || allowed.includes(at.weekday)) {
    return at;
  }
  let day = at;
  for (let step = 1; step <= 7; step += 1) {
    day = at.plus({ days: step });
    if (allowed.includes(day.weekday)) {
      break;
    }
  }
  // On the new day the send goes at the designer's local time if one was set, else when quiet
  // hours end, else at midnight: keeping the original time of day could skip a whole morning.
  const time = rule.atLocalTime ?? rule.quietHours?.end ?? '00:00';
  const minutes = toMinutes(time);
  return localInstant(day, Math.floor(minutes / 60), minutes % 60);
}

function toMinutes(time: string): number {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return hour * 60 + minute;
}

function toUtcIso(at: DateTime): string {
  return at.toUTC().toISO({ suppressMilliseconds: true }) ?? '';
}
