import { z } from 'zod';
import { SendClassificationShape } from '../consent/send-classification.schema.js';
import { CARE_EVENT_TYPE_PATTERN } from '../events/care-event.js';
import { RuleGroupSchema } from './rules.schema.js';
import {
  DurationSchema,
  LocalTimeSchema,
  ProtectionPolicySchema,
  PurposeSchema,
  SensitivitySchema,
} from './vocabulary.js';

const EventTypeSchema = z
  .string()
  .regex(
    CARE_EVENT_TYPE_PATTERN,
    'An event type is dotted lower-case words, e.g. appointment.booked',
  );

const OutcomeNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'An outcome is a snake_case word, e.g. goal_reached');

/** Starts a run for each matching CareEvent. */
export const TriggerEventDataSchema = z.object({
  eventType: EventTypeSchema,
  filter: RuleGroupSchema.optional(),
});

/** Starts one run per patient of a segment at each firing of a cron schedule (campaigns). */
export const TriggerScheduleDataSchema = z.object({
  cron: z.string().min(1).max(200),
  timeZone: z.string().min(1),
  segment: RuleGroupSchema,
  /** Runs started per batch, and the pause between batches, so sends are paced. */
  batchSize: z.number().int().min(1).max(10_000).default(100),
  batchIntervalSeconds: z.number().int().min(0).max(86_400).default(60),
});

/** Started by a person from the UI or API, for a chosen patient. */
export const TriggerManualDataSchema = z.object({});

/** Branches on rules over event data, patient fields and consent state. */
export const ConditionDataSchema = z.object({
  label: z.string().max(200).optional(),
  rules: RuleGroupSchema,
});

/** Sends each patient down one branch, stably: the same patient always takes the same branch. */
export const SplitDataSchema = z.object({
  branches: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'A branch id is a short snake_case word'),
        percent: z.number().int().min(0).max(100),
      }),
    )
    .min(2)
    .max(10),
});

/** Waits a fixed time. */
export const WaitDurationDataSchema = z.object({ duration: DurationSchema });

/** Waits until an instant computed from an event time field, in the patient's time zone. */
export const WaitUntilDataSchema = z.object({
  /** A datetime or date variable of the trigger's event, e.g. `appointment.start`. */
  anchor: z.string().min(1),
  offset: DurationSchema.extend({ direction: z.enum(['before', 'after']) }),
  /** Move the instant to this local time on the day it falls on, e.g. "10:00". */
  atLocalTime: LocalTimeSchema.optional(),
  /** No message in this local window; a send that falls inside moves to its end. */
  quietHours: z.object({ start: LocalTimeSchema, end: LocalTimeSchema }).optional(),
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which a send may go out. */
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  /** What to do when the computed instant has already passed. */
  ifPassed: z.enum(['continue', 'exit']),
});

/** Waits for a CareEvent about the same subject, with a timeout. */
export const WaitEventDataSchema = z.object({
  eventType: EventTypeSchema,
  timeout: DurationSchema,
});

/** A message template: what the designer writes, with the variables it declares. */
export const TemplateSchema = z.object({
  subject: z.string().min(1).max(200),
  preheader: z.string().max(200).optional(),
  /** The sender's display name; the address comes from configuration. */
  fromName: z.string().max(100).optional(),
  html: z.string().max(100_000),
  text: z.string().min(1).max(100_000),
  /** Every variable the template may use (minimum necessary: nothing else is rendered). */
  variables: z.array(z.string()).max(100),
  /** Raises the message's sensitivity above what its variables imply. */
  sensitivityFloor: SensitivitySchema.optional(),
});
/** A message template. */
export type Template = z.infer<typeof TemplateSchema>;

/** Sends an email; consent and protection are decided at send time. */
export const SendEmailDataSchema = z.object({
  template: TemplateSchema,
  purpose: PurposeSchema,
  protection: ProtectionPolicySchema,
  ...SendClassificationShape,
});

/** Ends the run with a named outcome. */
export const ExitDataSchema = z.object({
  outcome: OutcomeNameSchema,
  reason: OutcomeNameSchema.optional(),
});

/** The node catalogue: each type's data schema and the outcome handles it offers. */
export const NODE_TYPES = {
  'trigger.event': { data: TriggerEventDataSchema, handles: ['out'] },
  'trigger.schedule': { data: TriggerScheduleDataSchema, handles: ['out'] },
  'trigger.manual': { data: TriggerManualDataSchema, handles: ['out'] },
  condition: { data: ConditionDataSchema, handles: ['yes', 'no'] },
  split: { data: SplitDataSchema, handles: 'branches' },
  'wait.duration': { data: WaitDurationDataSchema, handles: ['out'] },
  'wait.until': { data: WaitUntilDataSchema, handles: ['out'] },
  'wait.event': { data: WaitEventDataSchema, handles: ['received', 'timeout'] },
  'send.email': { data: SendEmailDataSchema, handles: ['out'] },
  exit: { data: ExitDataSchema, handles: [] },
} as const;

/** A node type of the catalogue. */
export type NodeType = keyof typeof NODE_TYPES;

/** The node types that start a run. */
export const TRIGGER_TYPES = ['trigger.event', 'trigger.schedule', 'trigger.manual'] as const;
