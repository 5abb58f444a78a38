/**
 * A parsed cron expression: the values each field allows. Days of the week are 0 (Sunday) to 6.
 */
export interface CronSchedule {
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** The day-of-month field is `*` or `?`: it does not restrict the day. */
  isAnyDayOfMonth: boolean;
  /** The day-of-week field is `*` or `?`: it does not restrict the day. */
  isAnyDayOfWeek: boolean;
}

/** A cron expression read, or what is wrong with it in words a designer can act on. */
export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
} as const;
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTH_NAMES };
// 7 is Sunday too, as in most crons; it is folded onto 0 after parsing.
const DAY_OF_WEEK: FieldSpec = { name: 'day of week', min: 0, max: 7, names: DAY_NAMES };

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

// The longest month each month can have, February in a leap year.
const LONGEST_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Reads a cron expression: five fields (minute hour day-of-month month day-of-week), or six
 * with seconds first, or a nickname (`@daily`, `@weekly`, …). Each field takes `*`, numbers,
 * ranges `a-b`, steps `*\/n` and `a-b/n`, and comma lists; months and weekdays also take
 * three-letter English names. When both day fields restrict, a day matching either is taken,
 * as in classic cron. Extensions some crons have (`L`, `W`, `#`, years) are refused rather than
 * half-understood, and so is a schedule that can never fire (30 February).
 *
 * @param expression - the expression as the designer wrote it
 */
export function parseCron(expression: string): CronParse {
  const trimmed = expression.trim();
  const expanded = NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) {
    return {
      ok: false,
      message: `"${trimmed}" is not a nickname; use @hourly, @daily, @weekly, @monthly or @yearly.`,
    };
  }
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    return {
      ok: false,
      message: `write 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; "${trimmed}" has ${parts.length}.`,
    };
  }
  const fields = parts.length === 5 ? ['0', ...parts] : parts;
  const specs = [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
  const sets: Array<Set<number>> = [];
  for (const [index, spec] of specs.entries()) {
    const read = parseField(fields[index] ?? '', spec);
    if (typeof read === 'string') {
      return { ok: false, message: read };
    }
    sets.push(read);
  }

  const [seconds, minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (daysOfWeek.delete(7)) {
    daysOfWeek.add(0);
  }
  const schedule: CronSchedule = {
    seconds,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    isAnyDayOfMonth: isAny(fields[3]),
    isAnyDayOfWeek: isAny(fields[5]),
  };
  return canEverFire(schedule)
    ? { ok: true, schedule }
    : { ok: false, message: `"${trimmed}" names days that no month has, so it never fires.` };
}

/**
 * Whether a calendar day matches the schedule's day fields.
 *
 * @param schedule - a parsed schedule
 * @param day - the day: `month` 1–12, `dayOfWeek` 0 (Sunday) to 6
 */
export function matchesDay(
  schedule: CronSchedule,
  day: { month: number; dayOfMonth: number; dayOfWeek: number },
): boolean {
  if (!schedule.months.has(day.month)) {
    return false;
  }
  const byMonthDay = schedule.daysOfMonth.has(day.dayOfMonth);
  const byWeekday = schedule.daysOfWeek.has(day.dayOfWeek);
  if (schedule.isAnyDayOfMonth) {
    return byWeekday;
  }
  if (schedule.isAnyDayOfWeek) {
    return byMonthDay;
  }
  return byMonthDay || byWeekday;
}

function isAny(field: string | undefined): boolean {
  return field === '*' || field === '?';
}

// A weekday occurs in every month, so only a day-of-month-only schedule can miss every month.
function canEverFire(schedule: CronSchedule): boolean {
  if (!schedule.isAnyDayOfWeek || schedule.isAnyDayOfMonth) {
    return true;
  }
  return [...schedule.months].some((month) =>
    [...schedule.daysOfMonth].some((day) => day <= (LONGEST_MONTH[month - 1] ?? 0)),
  );
}

function parseField(field: string, spec: FieldSpec): Set<number> | string {
  if (field === '') {
    return `the ${spec.name} field is empty.`;
  }
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const problem = parseItem(item, spec, values);
    if (problem !== undefined) {
      return problem;
    }
  }
  return values;
}

function parseItem(item: string, spec: FieldSpec, into: Set<number>): string | undefined {
  const isDayField = spec === DAY_OF_MONTH || spec === DAY_OF_WEEK;
  const [range = '', stepText, ...extra] = item.split('/');
  if (extra.length > 0) {
    return `"${item}" in the ${spec.name} field has more than one "/".`;
  }
  const step = stepText === undefined ? 1 : toInteger(stepText);
  if (step === undefined || step < 1 || step > spec.max - spec.min + 1) {
    return `"${item}" in the ${spec.name} field has a step that is not a whole number from 1 to ${spec.max - spec.min + 1}.`;
  }

  let from: number | undefined;
  let to: number | undefined;
  if (range === '*' || (isDayField && range === '?')) {
    from = spec.min;
    to = spec.max;
  } else if (range.includes('-')) {
    const [low = '', high = '', ...more] = range.split('-');
    from = valueOf(low, spec);
    to = more.length > 0 ? undefined : valueOf(high, spec);
  } else if (stepText !== undefined) {
    return `"${item}" in the ${spec.name} field: write a step as */n or a-b/n.`;
  } else {
    from = valueOf(range, spec);
    to = from;
  }
  if (from === undefined || to === undefined) {
    return `"${item}" is not a ${spec.name} (${describeRange(spec)}).`;
  }
  if (from > to) {
    return `"${item}" in the ${spec.name} field runs backwards; write the smaller value first.`;
  }
  for (let value = from; value <= to; value += step) {
    into.add(value);
  }
  return undefined;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.[text.toLowerCase()];
  const value = named ?? toInteger(text);
  return value !== undefined && value >= spec.min && value <= spec.max ? value : undefined;
}

function toInteger(text: string): number | undefined {
  return /^\d{1,2}$/.test(text) ? Number(text) : undefined;
}

function describeRange(spec: FieldSpec): string {
  const names =
    spec.names === undefined
      ? ''
      : ` or a name such as ${Object.keys(spec.names)[0]?.toUpperCase()}`;
  return `${spec.min}–${spec.max}${names}`;
}
