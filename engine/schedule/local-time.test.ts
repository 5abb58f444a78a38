import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { plusCalendarDays, resolveWallTime } from './local-time.js';

const wall = (text: string) => {
  const at = DateTime.fromISO(text, { zone: 'UTC' });
  return { year: at.year, month: at.month, day: at.day, hour: at.hour, minute: at.minute };
};

describe('resolveWallTime', () => {
  it.each([
    ['America/New_York', '2026-03-08T02:30', 'gap', '2026-03-08T07:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:30', 'gap', '2026-03-29T01:30:00.000Z'],
    ['America/New_York', '2026-11-01T01:30', 'overlap', '2026-11-01T05:30:00.000Z'],
    ['Europe/Berlin', '2026-10-25T02:30', 'overlap', '2026-10-25T00:30:00.000Z'],
    ['Europe/Berlin', '2026-07-01T10:00', 'single', '2026-07-01T08:00:00.000Z'],
    ['America/New_York', '2026-11-01T02:00', 'single', '2026-11-01T07:00:00.000Z'],
  ])('reads %s %s as a %s time at %s', (zone, text, kind, utc) => {
    const resolved = resolveWallTime(wall(text), zone);

    expect(resolved.kind).toBe(kind);
    expect(resolved.at.toUTC().toISO()).toBe(utc);
  });
});

describe('plusCalendarDays', () => {
  it('keeps the wall-clock time across a DST change (23 real hours in spring)', () => {
    const from = DateTime.fromISO('2026-03-07T10:00:00-05:00');

    const next = plusCalendarDays(from, 1, 'America/New_York');

    expect(next.toISO()).toBe('2026-03-08T10:00:00.000-04:00');
    expect(next.diff(from, 'hours').hours).toBe(23);
  });

  it('lands a day later on the first occurrence of a repeated time', () => {
    const from = DateTime.fromISO('2026-10-31T01:30:00-04:00');

    expect(plusCalendarDays(from, 1, 'America/New_York').toISO()).toBe(
      '2026-11-01T01:30:00.000-04:00',
    );
  });
});
