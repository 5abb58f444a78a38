import { z } from 'zod';
import { DURATION_UNITS } from './vocabulary.js';

const FieldSchema = z
  .string()
  .regex(
    /^[a-z][A-Za-z0-9_]*(\.[a-z][A-Za-z0-9_]*)+$/,
    'A field is a dotted path like patient.email',
  );

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A point in time relative to "now" when the rule is evaluated: `amount` may be negative. */
const RelativeInstantSchema = z.object({
  relativeToNow: z.object({ amount: z.number().int(), unit: z.enum(DURATION_UNITS) }),
});

/** A date comparison's other side: a fixed ISO instant or date, or an instant relative to now. */
const DateOperandSchema = z.union([
  z.iso.datetime({ offset: true }),
  z.iso.date(),
  RelativeInstantSchema,
]);

/** One comparison of a field with a value. */
export const RuleSchema = z.discriminatedUnion('op', [
  z.object({ field: FieldSchema, op: z.literal('equals'), value: ScalarSchema }),
  z.object({ field: FieldSchema, op: z.literal('not_equals'), value: ScalarSchema }),
  z.object({ field: FieldSchema, op: z.literal('in'), value: z.array(ScalarSchema).min(1) }),
  z.object({ field: FieldSchema, op: z.literal('not_in'), value: z.array(ScalarSchema).min(1) }),
  z.object({ field: FieldSchema, op: z.literal('exists') }),
  z.object({ field: FieldSchema, op: z.literal('not_exists') }),
  z.object({ field: FieldSchema, op: z.literal('contains'), value: z.string() }),
  z.object({ field: FieldSchema, op: z.literal('gt'), value: z.number() }),
  z.object({ field: FieldSchema, op: z.literal('gte'), value: z.number() }),
  z.object({ field: FieldSchema, op: z.literal('lt'), value: z.number() }),
  z.object({ field: FieldSchema, op: z.literal('lte'), value: z.number() }),
  z.object({ field: FieldSchema, op: z.literal('before'), value: DateOperandSchema }),
  z.object({ field: FieldSchema, op: z.literal('after'), value: DateOperandSchema }),
  z.object({
    field: FieldSchema,
    op: z.literal('within'),
    /** The field lies between now and now ± the duration (`next`, `past`) or either side. */
    value: z.object({
      amount: z.number().int().min(0),
      unit: z.enum(DURATION_UNITS),
      direction: z.enum(['next', 'past', 'either']),
    }),
  }),
]);
/** One comparison of a field with a value. */
export type Rule = z.infer<typeof RuleSchema>;
/** A rule's operator. */
export type RuleOperator = Rule['op'];

/** Rules combined with `all` (every one holds) or `any` (at least one holds); nestable. */
export interface RuleGroup {
  combinator: 'all' | 'any';
  rules: Array<Rule | RuleGroup>;
}

/** Schema of {@link RuleGroup}. An empty `all` group holds; an empty `any` group does not. */
export const RuleGroupSchema: z.ZodType<RuleGroup> = z.object({
  combinator: z.enum(['all', 'any']),
  get rules() {
    return z.array(z.union([RuleSchema, RuleGroupSchema])).max(200);
  },
});

/** Whether a member of a group is itself a group. */
export function isRuleGroup(value: Rule | RuleGroup): value is RuleGroup {
  return 'combinator' in value;
}

/** Every field a rule group reads, depth-first, without duplicates. */
export function fieldsOf(group: RuleGroup): string[] {
  const fields = new Set<string>();
  const visit = (member: Rule | RuleGroup): void => {
    if (isRuleGroup(member)) {
      member.rules.forEach(visit);
    } else {
      fields.add(member.field);
    }
  };
  visit(group);
  return [...fields];
}
