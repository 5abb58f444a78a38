import { describe, expect, it } from 'vitest';
import { matchesDay, parseCron } from './cron.js';

function schedule(expression: string) {
  const parsed = parseCron(expression);
  if (!parsed.ok) {
    throw new TypeError(`expected "${expression}" to parse: ${parsed.message}`);
  }
  return parsed.schedule;
}

describe('parseCron', () => {
  it('reads five fields with seconds at 0, and six with seconds first', () => {
    expect([...schedule('15 9 * * *').seconds]).toEqual([0]);
    expect([...schedule('*/20 15 9 * * *').seconds]).toEqual([0, 20, 40]);
    expect([...schedule('15 9 * * *').minutes]).toEqual([15]);
  });

  it('reads ranges, steps, lists and names', () => {
    const parsed = schedule('0,30 8-17/3 1,15 JAN-mar mon-FRI');

    expect([...parsed.minutes]).toEqual([0, 30]);
    expect([...parsed.hours]).toEqual([8, 11, 14, 17]);
    expect([...parsed.daysOfMonth]).toEqual([1, 15]);
    expect([...parsed.months]).toEqual([1, 2, 3]);
    expect([...parsed.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('folds 7 onto Sunday and expands nicknames', () => {
    expect([...schedule('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(schedule('@weekly')).toEqual(schedule('0 0 * * 0'));
    expect(schedule('@DAILY')).toEqual(schedule('0 0 * * *'));
  });

  it.each([
    ['0 9 * *', 'write 5 fields'],
    ['60 9 * * *', 'is not a minute'],
    ['0 24 * * *', 'is not a hour'],
    ['0 9 0 * *', 'is not a day of month'],
    ['0 9 * 13 *', 'is not a month'],
    ['0 9 * * 8', 'is not a day of week'],
    ['0 17-9 * * *', 'runs backwards'],
    ['*/0 * * * *', 'has a step'],
    ['5/15 * * * *', 'write a step as'],
    ['0 9 L * *', 'is not a day of month'],
    ['0 9 * * 1#2', 'is not a day of week'],
    ['0 9 30 2 *', 'never fires'],
    ['@reboot', 'is not a nickname'],
    ['0 9 * * * * 2030', 'write 5 fields'],
  ])('refuses "%s" saying what is wrong', (expression, message) => {
    const parsed = parseCron(expression);

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it('accepts 29 February, which comes every four years', () => {
    expect(parseCron('0 0 29 2 *').ok).toBe(true);
  });
});

describe('matchesDay', () => {
  const monday15 = { month: 6, dayOfMonth: 15, dayOfWeek: 1 };
  const tuesday16 = { month: 6, dayOfMonth: 16, dayOfWeek: 2 };

  it('takes a day matching either field when both restrict, as classic cron does', () => {
    const both = schedule('0 9 1 * 1');

    expect(matchesDay(both, monday15)).toBe(true);
    expect(matchesDay(both, { month: 6, dayOfMonth: 1, dayOfWeek: 4 })).toBe(true);
    expect(matchesDay(both, tuesday16)).toBe(false);
  });

  it('lets the restricting field decide when the other is * or ?', () => {
    expect(matchesDay(schedule('0 9 * * 1'), monday15)).toBe(true);
    expect(matchesDay(schedule('0 9 ? * 1'), tuesday16)).toBe(false);
    expect(matchesDay(schedule('0 9 16 * ?'), tuesday16)).toBe(true);
    expect(matchesDay(schedule('0 9 16 7 *'), tuesday16)).toBe(false);
  });
});
