import { Cron } from 'croner';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';
import { nextFiring } from './next-firing.js';

function firings(expression: string, zone: string, after: string, count: number): string[] {
  const parsed = parseCron(expression);
  if (!parsed.ok) {
    throw new TypeError(parsed.message);
  }
  const found: string[] = [];
  let cursor = after;
  for (let index = 0; index < count; index += 1) {
    const next = nextFiring(parsed.schedule, zone, cursor);
    if (next === undefined) {
      break;
    }
    found.push(next);
    cursor = next;
  }
  return found;
}

const local = (instant: string, zone: string) =>
  DateTime.fromISO(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");

describe('nextFiring on the days clocks change', () => {
  // Spring forward: America/New_York skips 02:00–03:00 on 8 March 2026, Europe/Berlin on 29
  // March. Fall back: New York repeats 01:00–02:00 on 1 November, Berlin 02:00–03:00 on 25
  // October.
  it.each([
    [
      'America/New_York',
      '2026-03-07T12:00:00Z',
      ['2026-03-08T03:30-04:00', '2026-03-09T02:30-04:00'],
    ],
    ['Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-29T03:30+02:00', '2026-03-30T02:30+02:00']],
  ])(
    'fires a time in the spring-forward gap once, moved forward by the gap (%s)',
    (zone, after, expected) => {
      const found = firings('30 2 * * *', zone, after, 2);

      expect(found.map((instant) => local(instant, zone))).toEqual(expected);
    },
  );

  it.each([
    [
      'America/New_York',
      '30 1 * * *',
      '2026-10-31T12:00:00Z',
      ['2026-11-01T01:30-04:00', '2026-11-02T01:30-05:00'],
    ],
    [
      'Europe/Berlin',
      '30 2 * * *',
      '2026-10-24T12:00:00Z',
      ['2026-10-25T02:30+02:00', '2026-10-26T02:30+01:00'],
    ],
  ])(
    'fires a time in the fall-back overlap once, at its first occurrence (%s)',
    (zone, expression, after, expected) => {
      const found = firings(expression, zone, after, 2);

      expect(found.map((instant) => local(instant, zone))).toEqual(expected);
    },
  );

  it.each([
    ['America/New_York', '2026-03-08T03:59:59Z', '2026-03-08T09:00:00Z'],
    ['Europe/Berlin', '2026-03-28T21:59:59Z', '2026-03-29T03:00:00Z'],
  ])(
    'fires every quarter hour across the spring-forward night without a double (%s)',
    (zone, from, to) => {
      const found = firings('*/15 * * * *', zone, from, 100).filter((instant) => instant < to);

      // Five hours of real time, one of which the clocks skip: 20 firings, all distinct.
      expect(found).toHaveLength(20);
      expect(new Set(found).size).toBe(20);
    },
  );

  it.each([
    ['America/New_York', '2026-11-01T03:00:00Z', '2026-11-01T09:00:00Z'],
    ['Europe/Berlin', '2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z'],
  ])(
    'fires each hour of the fall-back night once, the repeated hour included (%s)',
    (zone, from, to) => {
      const found = firings('0 * * * *', zone, from, 100).filter((instant) => instant <= to);
      const hours = found.map((instant) => DateTime.fromISO(instant, { zone }).toFormat('HH'));

      // Six hours of real time, but one local hour happens twice: five local hours, once each.
      expect(hours).toHaveLength(5);
      expect(new Set(hours).size).toBe(5);
    },
  );

  it('merges a gap time with a firing the schedule already has at that instant', () => {
    const found = firings('30 2,3 * * *', 'America/New_York', '2026-03-08T05:00:00Z', 3);

    expect(found).toEqual(['2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z', '2026-03-09T07:30:00Z']);
  });
});

describe('nextFiring', () => {
  it('is strictly after the instant it is given', () => {
    expect(firings('0 9 * * *', 'UTC', '2026-05-01T09:00:00Z', 1)).toEqual([
      '2026-05-02T09:00:00Z',
    ]);
    expect(firings('0 9 * * *', 'UTC', '2026-05-01T08:59:59Z', 1)).toEqual([
      '2026-05-01T09:00:00Z',
    ]);
  });

  it('reads the expression in the zone it is given', () => {
    expect(firings('0 9 * * 1-5', 'Asia/Tokyo', '2026-05-01T12:00:00Z', 2)).toEqual([
      '2026-05-04T00:00:00Z',
      '2026-05-05T00:00:00Z',
    ]);
  });

  it('finds 29 February four years on', () => {
    expect(firings('0 0 29 2 *', 'UTC', '2026-03-01T00:00:00Z', 2)).toEqual([
      '2028-02-29T00:00:00Z',
      '2032-02-29T00:00:00Z',
    ]);
  });

  const field = (min: number, max: number) =>
    fc.oneof(
      fc.constant('*'),
      fc.integer({ min, max }).map(String),
      fc
        .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
        .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 1, max: Math.min(12, max - min + 1) }).map((step) => `*/${step}`),
      fc
        .uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 })
        .map((values) => values.join(',')),
    );
  const expression = fc
    .tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6))
    .map((fields) => fields.join(' '));

  // croner is a well-kept cron library; where no clock changes (UTC, India) its answer and ours
  // must agree, which checks the field parsing and the calendar walk on thousands of cases.
  it.each(['UTC', 'Asia/Kolkata'])('agrees with croner in %s, a zone without DST', (zone) => {
    fc.assert(
      fc.property(
        expression,
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (cron, after) => {
          const parsed = parseCron(cron);
          if (!parsed.ok) {
            return;
          }
          const expected = new Cron(cron, { timezone: zone }).nextRun(after);

          const ours = nextFiring(parsed.schedule, zone, after.toISOString());

          expect(ours).toBe(expected?.toISOString().replace('.000Z', 'Z'));
        },
      ),
      { numRuns: 400 },
    );
  });
});
