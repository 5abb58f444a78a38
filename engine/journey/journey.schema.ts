import { z } from 'zod';
import {
  ConditionDataSchema,
  ExitDataSchema,
  SendEmailDataSchema,
  SplitDataSchema,
  TriggerEventDataSchema,
  TriggerManualDataSchema,
  TriggerScheduleDataSchema,
  WaitDurationDataSchema,
  WaitEventDataSchema,
  WaitUntilDataSchema,
} from './nodes.schema.js';

/** The journey document format this code reads and writes. */
export const JOURNEY_SCHEMA_VERSION = 1;

const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'An id is 1–64 letters, digits, "_" or "-"');

const PositionSchema = z.object({ x: z.number(), y: z.number() });

function nodeOf<TType extends string, TData extends z.ZodType>(type: TType, data: TData) {
  return z.object({ id: IdSchema, type: z.literal(type), position: PositionSchema, data });
}

/** One node of the canvas: its id, type, place on the canvas and typed data. */
export const JourneyNodeSchema = z.discriminatedUnion('type', [
  nodeOf('trigger.event', TriggerEventDataSchema),
  nodeOf('trigger.schedule', TriggerScheduleDataSchema),
  nodeOf('trigger.manual', TriggerManualDataSchema),
  nodeOf('condition', ConditionDataSchema),
  nodeOf('split', SplitDataSchema),
  nodeOf('wait.duration', WaitDurationDataSchema),
  nodeOf('wait.until', WaitUntilDataSchema),
  nodeOf('wait.event', WaitEventDataSchema),
  nodeOf('send.email', SendEmailDataSchema),
  nodeOf('exit', ExitDataSchema),
]);
/** One node of the canvas. */
export type JourneyNode = z.infer<typeof JourneyNodeSchema>;

/** One connection: from a node's outcome handle to another node. */
export const JourneyEdgeSchema = z.object({
  id: IdSchema,
  source: IdSchema,
  /** The outcome handle (`yes`, `no`, `received`, a split branch id, …); `out` when single. */
  sourceHandle: z.string().max(64).nullable(),
  target: IdSchema,
});
/** One connection between nodes. */
export type JourneyEdge = z.infer<typeof JourneyEdgeSchema>;

/** A journey as the canvas edits it and as it is imported and exported. */
export const JourneyDocumentSchema = z.object({
  schemaVersion: z.literal(JOURNEY_SCHEMA_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  nodes: z.array(JourneyNodeSchema).max(5000),
  edges: z.array(JourneyEdgeSchema).max(10_000),
});
/** A journey as the canvas edits it. */
export type JourneyDocument = z.infer<typeof JourneyDocumentSchema>;

/** The journey document format as JSON Schema (2020-12), for import/export tooling. */
export function journeyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(JourneyDocumentSchema, { target: 'draft-2020-12', io: 'input' });
}
