import { describe, expect, it } from 'vitest';
import { offsetMinutesOf, parseHl7DateTime } from './hl7-date-time.js';

const NEW_YORK = { zone: 'America/New_York' };

describe('parseHl7DateTime', () => {
  it.each([
    ['20210924093000+0215', '2021-09-24T07:15:00Z'],
    ['20210924093000-0800', '2021-09-24T17:30:00Z'],
    ['202109141120+0215', '2021-09-14T09:05:00Z'],
    ['20210817151943.4+0200', '2021-08-17T13:19:43.400Z'],
    ['2021092409+0000', '2021-09-24T09:00:00Z'],
  ])('reads %s as the instant %s', (value, utc) => {
    expect(parseHl7DateTime(value, NEW_YORK)).toEqual({ kind: 'instant', utc });
  });

  it('compares values written with different offsets as the same instant', () => {
    const hl7 = parseHl7DateTime('20210924093000+0215', NEW_YORK);
    const fhir = new Date('2021-09-24T12:45:00+05:30').toISOString().replace('.000', '');

    expect(hl7).toEqual({ kind: 'instant', utc: fhir });
  });

  it('places a value without an offset at the sender offset of MSH-7, when there is one', () => {
    expect(
      parseHl7DateTime('20260105090000', { senderOffsetMinutes: 120, zone: 'America/New_York' }),
    ).toEqual({ kind: 'instant', utc: '2026-01-05T07:00:00Z' });
  });

  it('places a value without any offset in the organisation zone', () => {
    expect(parseHl7DateTime('20260105090000', NEW_YORK)).toEqual({
      kind: 'instant',
      utc: '2026-01-05T14:00:00Z',
    });
  });

  it('reads a date without a time as a calendar date', () => {
    expect(parseHl7DateTime('20150209', NEW_YORK)).toEqual({ kind: 'date', date: '2015-02-09' });
  });

  it.each(['2015', '201502', 'tomorrow', '20151345', '20150209250000', '20150209+2400'])(
    'refuses %s',
    (value) => {
      expect(parseHl7DateTime(value, NEW_YORK)).toBe('invalid');
    },
  );

  it('reads an empty value as absent', () => {
    expect(parseHl7DateTime('  ', NEW_YORK)).toBeUndefined();
  });

  it('reads the offset of a header timestamp', () => {
    expect(offsetMinutesOf('198908181126+0215')).toBe(135);
    expect(offsetMinutesOf('201203141259-0215')).toBe(-135);
    expect(offsetMinutesOf('20061019172719')).toBeUndefined();
  });
});
