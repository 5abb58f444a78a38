import { z } from 'zod';
import { RUN_STATUSES } from '../../runs/run-filter.js';

/** `:id` of the runs routes: a run's workflow id. */
export const RunParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,200}$/)
    .describe('The run id (its Temporal workflow id, `run-<journey>-<hash>`)'),
});

/** One run in a list. */
export const RunSummarySchema = z.object({
  workflowId: z.string(),
  runId: z.string().describe("Temporal's id of the run's newest execution"),
  journeyId: z.string().nullable(),
  versionId: z.string().nullable(),
  patientId: z.string().nullable().describe("Pathwell's internal patient id"),
  status: z.enum(RUN_STATUSES),
  outcome: z.string().nullable().describe('How a completed or cancelled run ended'),
  reason: z.string().nullable(),
  failureType: z.string().nullable(),
  failedNode: z.string().nullable(),
  startedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  replays: z.number().int(),
});

const StepSchema = z.object({
  seq: z.number().int(),
  stepId: z.string(),
  kind: z.string(),
  outcome: z.string(),
  reason: z.string().optional(),
  at: z.string(),
});

const DecisionSchema = z.object({
  at: z.string(),
  stepId: z.string().nullable(),
  action: z.string(),
  decision: z.string().nullable(),
  reason: z.string().nullable(),
  purpose: z.string().nullable(),
  method: z.string().nullable(),
  stage: z.string().nullable(),
  smtpCode: z.number().nullable(),
});

const DeliverySchema = z.object({
  stepId: z.string(),
  messageId: z.string(),
  state: z.string(),
  attempts: z.number().int(),
  method: z.string().nullable(),
  reason: z.string().nullable(),
  smtpCode: z.number().nullable().describe("The SMTP peer's last answer"),
  recipientDomain: z.string().nullable(),
  resentAfterUnknown: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A run's timeline. */
export const RunTimelineSchema = RunSummarySchema.extend({
  at: z.string().nullable(),
  steps: z.array(StepSchema),
  decisions: z.array(DecisionSchema),
  deliveries: z.array(DeliverySchema),
  scheduled: z.array(z.object({ stepId: z.string(), at: z.string() })),
  failure: z
    .object({
      type: z.string(),
      failedNode: z.string().nullable(),
      message: z.string(),
      cause: z.object({ type: z.string().nullable(), message: z.string().nullable() }).nullable(),
    })
    .nullable(),
});

/** The body of a replay request. */
export const ReplayBodySchema = z.object({
  version: z
    .enum(['own', 'newest'])
    .default('own')
    .describe("`own`: the run's pinned version; `newest`: the newest published, by node id"),
});

/** What a replay started. */
export const ReplayStartedSchema = z.object({
  workflowId: z.string(),
  runId: z.string(),
  versionId: z.string(),
  fromStep: z.string().nullable(),
  mode: z.enum(['from_failed_step', 'from_start']),
});
