import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { pickTimeZone } from './time-zone.js';
import { computeWaitUntil, hasPassed, type WaitUntilRule } from './wait-until.js';

const before = (amount: number, unit: 'minutes' | 'hours' | 'days') => ({
  amount,
  unit,
  direction: 'before' as const,
});
const after = (amount: number, unit: 'minutes' | 'hours' | 'days') => ({
  amount,
  unit,
  direction: 'after' as const,
});

function at(rule: WaitUntilRule, anchor: unknown, zone: string): string {
  const result = computeWaitUntil(rule, anchor, zone);
  if (!result.ok) {
    throw new TypeError(result.reason);
  }
  return DateTime.fromISO(result.at, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
}

describe('computeWaitUntil', () => {
  it('counts hours as elapsed time across the spring-forward gap', () => {
    // 10:00 EDT on the day clocks jump is 23 wall-clock hours after 10:00 EST the day before.
    expect(
      at({ offset: before(24, 'hours') }, '2026-03-08T10:00:00-04:00', 'America/New_York'),
    ).toBe('2026-03-07T09:00:00-05:00');
  });

  it('counts days as calendar days across the fall-back overlap in Berlin', () => {
    expect(at({ offset: before(1, 'days') }, '2026-10-26T09:00:00+01:00', 'Europe/Berlin')).toBe(
      '2026-10-25T09:00:00+01:00',
    );
  });

  it('moves a local time in the spring-forward gap forward by the gap (New York)', () => {
    const rule = { offset: before(1, 'days'), atLocalTime: '02:30' };

    expect(at(rule, '2026-03-09T09:00:00-04:00', 'America/New_York')).toBe(
      '2026-03-08T03:30:00-04:00',
    );
  });

  it('moves a local time in the spring-forward gap forward by the gap (Berlin)', () => {
    const rule = { offset: before(1, 'days'), atLocalTime: '02:30' };

    expect(at(rule, '2026-03-30T09:00:00+02:00', 'Europe/Berlin')).toBe(
      '2026-03-29T03:30:00+02:00',
    );
  });

  it.each([
    ['America/New_York', '2026-11-02T09:00:00-05:00', '01:30', '2026-11-01T05:30:00Z'],
    ['Europe/Berlin', '2026-10-26T09:00:00+01:00', '02:30', '2026-10-25T00:30:00Z'],
  ])(
    'takes the first occurrence of a local time in the fall-back overlap (%s)',
    (zone, anchor, time, utc) => {
      const result = computeWaitUntil(
        { offset: before(1, 'days'), atLocalTime: time },
        anchor,
        zone,
      );

      expect(result).toEqual({ ok: true, at: utc });
    },
  );

  it('reads an anchor given with an offset as the instant it names', () => {
    // 09:00 in Tokyo is 00:00 UTC, 20:00 EDT the evening before; 2 hours earlier is 18:00 EDT.
    expect(
      at({ offset: before(2, 'hours') }, '2026-06-10T09:00:00+09:00', 'America/New_York'),
    ).toBe('2026-06-09T18:00:00-04:00');
  });

  it('reads a date-only anchor as local midnight of that day in the patient zone', () => {
    const rule = { offset: after(3, 'days'), atLocalTime: '10:00' };

    expect(at(rule, '2026-06-10', 'Europe/Berlin')).toBe('2026-06-13T10:00:00+02:00');
    expect(at({ offset: after(0, 'hours') }, '2026-06-10', 'America/New_York')).toBe(
      '2026-06-10T00:00:00-04:00',
    );
  });

  it('speaks in the organisation zone when the patient names none', () => {
    const zone = pickTimeZone([undefined, 'Not/AZone'], 'America/Chicago');

    expect(zone).toBe('America/Chicago');
    expect(at({ offset: after(1, 'days'), atLocalTime: '09:00' }, '2026-06-10', zone)).toBe(
      '2026-06-11T09:00:00-05:00',
    );
  });

  it('pushes a send in quiet hours to when they end, and off a disallowed day to the next allowed', () => {
    // 24 hours before a Monday 07:00 appointment is Sunday 07:00: inside 20:00–08:00 quiet hours
    // (moved to 08:00) and on a Sunday (moved to Monday 08:00, when quiet hours end).
    const rule = {
      offset: before(24, 'hours'),
      quietHours: { start: '20:00', end: '08:00' },
      weekdays: [1, 2, 3, 4, 5],
    };

    expect(at(rule, '2026-06-15T07:00:00-04:00', 'America/New_York')).toBe(
      '2026-06-15T08:00:00-04:00',
    );
  });

  it('moves a send that falls late in the evening to the next morning', () => {
    const rule = { offset: before(2, 'hours'), quietHours: { start: '21:00', end: '08:30' } };

    expect(at(rule, '2026-06-11T00:00:00+02:00', 'Europe/Berlin')).toBe(
      '2026-06-11T08:30:00+02:00',
    );
  });

  it('answers anchor_missing and anchor_invalid rather than guessing', () => {
    const rule = { offset: before(1, 'hours') };

    expect(computeWaitUntil(rule, undefined, 'UTC')).toEqual({
      ok: false,
      reason: 'anchor_missing',
    });
    expect(computeWaitUntil(rule, '2026-06-10T09:00:00', 'UTC')).toEqual({
      ok: false,
      reason: 'anchor_invalid',
    });
    expect(computeWaitUntil(rule, '2026-06', 'UTC')).toEqual({
      ok: false,
      reason: 'anchor_invalid',
    });
  });
});

describe('hasPassed', () => {
  it('says an instant at or before now has passed, and one after it has not', () => {
    const now = '2026-06-10T09:00:00Z';

    expect(hasPassed('2026-06-09T09:00:00Z', now)).toBe(true);
    expect(hasPassed(now, now)).toBe(true);
    expect(hasPassed('2026-06-10T09:00:01Z', now)).toBe(false);
  });
});
