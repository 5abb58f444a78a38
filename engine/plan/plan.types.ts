import type { z } from 'zod';
import type {
  ExitDataSchema,
  SplitDataSchema,
  TriggerScheduleDataSchema,
  WaitEventDataSchema,
  WaitUntilDataSchema,
} from '../journey/nodes.schema.js';
import type { RuleGroup } from '../journey/rules.schema.js';
import type { Duration, ProtectionPolicy, Purpose, Sensitivity } from '../journey/vocabulary.js';

/** The plan format this code compiles and interprets. */
export const PLAN_FORMAT = 1;

/** Where each outcome of a step leads: a step id, or `null` to end the run there. */
export type NextSteps = Record<string, string | null>;

/** A template as the plan carries it: resolved, with what it reads and how sensitive it is. */
export interface PlanTemplate {
  subject: string;
  preheader?: string;
  fromName?: string;
  html: string;
  text: string;
  /** The declared variables, sorted; rendering receives only these. */
  variables: string[];
  sensitivity: Sensitivity;
}

/** One step of a plan; `id` is the node id it was compiled from. */
export type PlanStep =
  | { kind: 'condition'; id: string; rules: RuleGroup; next: NextSteps }
  | {
      kind: 'split';
      id: string;
      branches: z.infer<typeof SplitDataSchema>['branches'];
      next: NextSteps;
    }
  | { kind: 'wait.duration'; id: string; duration: Duration; next: NextSteps }
  | ({ kind: 'wait.until'; id: string; next: NextSteps } & z.infer<typeof WaitUntilDataSchema>)
  | ({ kind: 'wait.event'; id: string; next: NextSteps } & z.infer<typeof WaitEventDataSchema>)
  | {
      kind: 'send.email';
      id: string;
      template: PlanTemplate;
      purpose: Purpose;
      protection: ProtectionPolicy;
      /** 45 CFR 164.501 classification members, copied from the node when present. */
      refill?: { drugRef: string; remuneration: 'none' | 'cost_related' | 'other' };
      thirdPartyRemuneration?: boolean;
      campaign?: { program: string; sponsor?: string };
      next: NextSteps;
    }
  | ({ kind: 'exit'; id: string; next: NextSteps } & z.infer<typeof ExitDataSchema>);

/** A step's kind. */
export type PlanStepKind = PlanStep['kind'];

/** How runs of a plan start. */
export type PlanTrigger =
  | { kind: 'event'; eventType: string; filter?: RuleGroup }
  | ({ kind: 'schedule' } & z.infer<typeof TriggerScheduleDataSchema>)
  | { kind: 'manual' };

/**
 * The compiled, validated, executable form of a journey version. Compiling the same graph
 * always gives byte-identical canonical JSON, and so the same hash.
 */
export interface Plan {
  format: typeof PLAN_FORMAT;
  trigger: PlanTrigger;
  /** The first step after the trigger, or `null` for a journey that does nothing. */
  entry: string | null;
  /** Steps by id, keys sorted. */
  steps: Record<string, PlanStep>;
  /** The patient fields conditions read, which the workflow loads once per run. */
  patientFields: string[];
}
