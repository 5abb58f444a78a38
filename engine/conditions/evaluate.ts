import { DateTime } from 'luxon';
import { isRuleGroup, type Rule, type RuleGroup } from '../journey/rules.schema.js';
import type { Duration } from '../journey/vocabulary.js';
import { parseFhirDateTime, toInstant } from '../schedule/fhir-date-time.js';

/** The values a condition can read, by dotted path (`patient.email`, `appointment.start`, …). */
export type Facts = Readonly<Record<string, unknown>>;

/** When and where a condition is evaluated. */
export interface EvaluationContext {
  /** The current instant, ISO 8601 (the workflow clock, or the simulator's). */
  now: string;
  /** The patient's zone: calendar days and date-only values are read in it. */
  zone: string;
}

/**
 * Whether a rule group holds for the facts. A field that is absent satisfies only `not_exists`,
 * `not_equals` and `not_in`: a rule about a value nobody sent must not send a message.
 */
export function evaluateRules(group: RuleGroup, facts: Facts, context: EvaluationContext): boolean {
  const results = group.rules.map((member) =>
    isRuleGroup(member)
      ? evaluateRules(member, facts, context)
      : evaluateRule(member, facts, context),
  );
  return group.combinator === 'all' ? results.every(Boolean) : results.some(Boolean);
}

function evaluateRule(rule: Rule, facts: Facts, context: EvaluationContext): boolean {
  const value = facts[rule.field];
  const isPresent = value !== undefined && value !== null && value !== '';
  switch (rule.op) {
    case 'exists':
      return isPresent;
    case 'not_exists':
      return !isPresent;
    case 'equals':
      return isPresent && value === rule.value;
    case 'not_equals':
      return !isPresent || value !== rule.value;
    case 'in':
      return isPresent && rule.value.includes(value as string | number | boolean);
    case 'not_in':
      return !isPresent || !rule.value.includes(value as string | number | boolean);
    case 'contains':
      return containsValue(value, rule.value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' && compareNumbers(rule.op, value, rule.value);
    case 'before':
    case 'after':
      return compareInstants(rule.op, value, rule.value, context);
    case 'within':
      return isWithin(value, rule.value, context);
  }
}

function containsValue(value: unknown, needle: string): boolean {
  if (typeof value === 'string') {
    return value.includes(needle);
  }
  return Array.isArray(value) && value.includes(needle);
}

function compareNumbers(op: 'gt' | 'gte' | 'lt' | 'lte', value: number, other: number): boolean {
  switch (op) {
    case 'gt':
      return value > other;
    case 'gte':
      return value >= other;
    case 'lt':
      return value < other;
    case 'lte':
      return value <= other;
  }
}

function compareInstants(
  op: 'before' | 'after',
  value: unknown,
  operand: string | { relativeToNow: { amount: number; unit: Duration['unit'] } },
  context: EvaluationContext,
): boolean {
  const left = readInstant(value, context.zone);
  const right =
    typeof operand === 'string'
      ? readInstant(operand, context.zone)
      : shift(now(context), operand.relativeToNow.amount, operand.relativeToNow.unit);
  if (left === undefined || right === undefined) {
    return false;
  }
  return op === 'before' ? left < right : left > right;
}

function isWithin(
  value: unknown,
  window: { amount: number; unit: Duration['unit']; direction: 'next' | 'past' | 'either' },
  context: EvaluationContext,
): boolean {
  const instant = readInstant(value, context.zone);
  if (instant === undefined) {
    return false;
  }
  const current = now(context);
  const from = window.direction === 'next' ? current : shift(current, -window.amount, window.unit);
  const to = window.direction === 'past' ? current : shift(current, window.amount, window.unit);
  return instant >= from && instant <= to;
}

function now(context: EvaluationContext): DateTime {
  return DateTime.fromISO(context.now, { zone: context.zone });
}

// Days are calendar days in the patient's zone (a "2 days" window keeps its wall-clock edges
// across a DST change); minutes and hours are elapsed time.
function shift(from: DateTime, amount: number, unit: Duration['unit']): DateTime {
  return from.plus({ [unit]: amount });
}

function readInstant(value: unknown, zone: string): DateTime | undefined {
  const parsed = parseFhirDateTime(value);
  return parsed.ok ? toInstant(parsed.value, zone) : undefined;
}
