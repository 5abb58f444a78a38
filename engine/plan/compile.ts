import { AppError } from '../errors/app-error.js';
import { handlesOf, isTrigger } from '../journey/graph-rules.js';
import type { JourneyDocument, JourneyNode } from '../journey/journey.schema.js';
import type { Template } from '../journey/nodes.schema.js';
import { fieldsOf, type RuleGroup } from '../journey/rules.schema.js';
import { validateJourney } from '../journey/validate.js';
import { maxSensitivity, type Sensitivity } from '../journey/vocabulary.js';
import { findVariable } from '../templates/catalogue.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import {
  type NextSteps,
  PLAN_FORMAT,
  type Plan,
  type PlanStep,
  type PlanTemplate,
  type PlanTrigger,
} from './plan.types.js';

/** A compiled plan with its content hash. */
export interface CompiledPlan {
  plan: Plan;
  /** SHA-256 of the plan's canonical JSON: equal plans, equal hashes. */
  hash: string;
}

/**
 * Validates and compiles a journey document into a plan.
 *
 * The plan leaves out everything that does not change what a run does (positions, names,
 * descriptions), so moving a node on the canvas does not change the hash.
 *
 * @throws AppError `journey_document_malformed` (400) or `journey_invalid` (422), with every
 *   problem in `issues`
 */
export function compileJourney(input: unknown): CompiledPlan {
  const result = validateJourney(input);
  if (!result.ok) {
    const code = result.malformed ? 'journey_document_malformed' : 'journey_invalid';
    const count = result.issues.length;
    throw new AppError(
      code,
      `The journey has ${count} problem${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} ` +
        'before publishing or simulating it (see "issues").',
      { issues: result.issues },
    );
  }
  const plan = buildPlan(result.document);
  return { plan, hash: planHash(plan) };
}

/** The content hash of a plan. */
export function planHash(plan: Plan): string {
  return sha256Hex(canonicalJson(plan));
}

function buildPlan(document: JourneyDocument): Plan {
  const next = nextStepsByNode(document);
  const trigger = document.nodes.find(isTrigger) as JourneyNode;
  const eventType = trigger.type === 'trigger.event' ? trigger.data.eventType : undefined;

  const steps: Record<string, PlanStep> = {};
  const patientFields = new Set<string>();
  const byId = new Map(document.nodes.map((node) => [node.id, node]));
  const ids = [...byId.keys()].filter((id) => !isTrigger(byId.get(id) as JourneyNode)).sort();
  for (const id of ids) {
    const step = toStep(byId.get(id) as JourneyNode, next.get(id) ?? {}, eventType);
    if (step.kind === 'condition') {
      collectPatientFields(step.rules, patientFields);
    }
    steps[id] = step;
  }

  return {
    format: PLAN_FORMAT,
    trigger: toTrigger(trigger),
    entry: next.get(trigger.id)?.out ?? null,
    steps,
    patientFields: [...patientFields].sort(),
  };
}

// The validator has made sure each outcome has exactly one edge, so the first one found is it.
function nextStepsByNode(document: JourneyDocument): Map<string, NextSteps> {
  const targets = new Map<string, string>();
  const byId = new Map(document.nodes.map((node) => [node.id, node]));
  for (const edge of document.edges) {
    const source = byId.get(edge.source);
    const handles = source === undefined ? [] : handlesOf(source);
    const handle = edge.sourceHandle ?? (handles.length === 1 ? handles[0] : undefined);
    const key = `${edge.source}\u0000${handle ?? ''}`;
    if (!targets.has(key)) {
      targets.set(key, edge.target);
    }
  }
  const byNode = new Map<string, NextSteps>();
  for (const node of document.nodes) {
    const next: NextSteps = {};
    for (const handle of handlesOf(node)) {
      next[handle] = targets.get(`${node.id}\u0000${handle}`) ?? null;
    }
    byNode.set(node.id, next);
  }
  return byNode;
}

function toTrigger(node: JourneyNode): PlanTrigger {
  switch (node.type) {
    case 'trigger.event':
      return node.data.filter === undefined
        ? { kind: 'event', eventType: node.data.eventType }
        : { kind: 'event', eventType: node.data.eventType, filter: node.data.filter };
    case 'trigger.schedule':
      return { kind: 'schedule', ...node.data };
    default:
      return { kind: 'manual' };
  }
}

function toStep(node: JourneyNode, next: NextSteps, eventType: string | undefined): PlanStep {
  const { id } = node;
  switch (node.type) {
    case 'condition':
      return { kind: 'condition', id, rules: node.data.rules, next };
    case 'split':
      return { kind: 'split', id, branches: node.data.branches, next };
    case 'wait.duration':
      return { kind: 'wait.duration', id, duration: node.data.duration, next };
    case 'wait.until':
      return { kind: 'wait.until', id, ...node.data, next };
    case 'wait.event':
      return { kind: 'wait.event', id, ...node.data, next };
    case 'send.email':
      return {
        kind: 'send.email',
        id,
        template: toPlanTemplate(node.data.template, eventType),
        purpose: node.data.purpose,
        protection: node.data.protection,
        ...classificationOf(node.data),
        next,
      };
    case 'exit':
      return { kind: 'exit', id, ...node.data, next };
    default:
      throw new AppError('internal_error', `Node "${id}" of type ${node.type} is not a step.`);
  }
}

function toPlanTemplate(template: Template, eventType: string | undefined): PlanTemplate {
  const variables = [...new Set(template.variables)].sort();
  let sensitivity: Sensitivity = template.sensitivityFloor ?? 'S0';
  for (const path of variables) {
    const spec = findVariable(path, eventType);
    sensitivity = spec === undefined ? sensitivity : maxSensitivity(sensitivity, spec.sensitivity);
  }
  return {
    subject: template.subject,
    ...(template.preheader === undefined ? {} : { preheader: template.preheader }),
    ...(template.fromName === undefined ? {} : { fromName: template.fromName }),
    html: template.html,
    text: template.text,
    variables,
    sensitivity,
  };
}

// Only members the node sets, so plans of journeys that set none keep their hash.
function classificationOf(data: {
  refill?: { drugRef: string; remuneration: 'none' | 'cost_related' | 'other' } | undefined;
  thirdPartyRemuneration?: boolean | undefined;
  campaign?: { program: string; sponsor?: string | undefined } | undefined;
}): Pick<
  Extract<PlanStep, { kind: 'send.email' }>,
  'refill' | 'thirdPartyRemuneration' | 'campaign'
> {
  const { campaign } = data;
  return {
    ...(data.refill === undefined ? {} : { refill: data.refill }),
    ...(data.thirdPartyRemuneration === undefined
      ? {}
      : { thirdPartyRemuneration: data.thirdPartyRemuneration }),
    ...(campaign === undefined
      ? {}
      : {
          campaign: {
            program: campaign.program,
            ...(campaign.sponsor === undefined ? {} : { sponsor: campaign.sponsor }),
          },
        }),
  };
}

function collectPatientFields(rules: RuleGroup, into: Set<string>): void {
  for (const field of fieldsOf(rules)) {
    if (field.startsWith('patient.')) {
      into.add(field);
    }
  }
}
