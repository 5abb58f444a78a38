import { parseCron } from '../schedule/cron.js';
import { isIanaZone } from '../schedule/time-zone.js';
import { analyseTemplate } from '../templates/analyse-template.js';
import { findVariable } from '../templates/catalogue.js';
import { HEADER_PARTS } from '../templates/liquid.js';
import type { JourneyIssue } from './graph-rules.js';
import type { JourneyIssueCode } from './issue-codes.js';
import type { JourneyDocument, JourneyNode } from './journey.schema.js';
import { fieldsOf, type RuleGroup } from './rules.schema.js';

type NodeOf<TType extends JourneyNode['type']> = Extract<JourneyNode, { type: TType }>;

/** Content rules: variables, templates, waits, splits, schedules and zones of every node. */
export function checkNodes(
  document: JourneyDocument,
  eventType: string | undefined,
): JourneyIssue[] {
  const issues: JourneyIssue[] = [];
  for (const node of document.nodes) {
    const add = (code: JourneyIssueCode, message: string, field?: string) =>
      issues.push({ code, message, nodeId: node.id, ...(field === undefined ? {} : { field }) });
    checkNode(node, eventType, add);
  }
  return issues;
}

type Add = (code: JourneyIssueCode, message: string, field?: string) => void;

function checkNode(node: JourneyNode, eventType: string | undefined, add: Add): void {
  switch (node.type) {
    case 'trigger.event':
      if (node.data.filter !== undefined) {
        checkRules(node.data.filter, { eventType, nodeId: node.id, field: 'data.filter' }, add);
      }
      return;
    case 'trigger.schedule':
      checkSchedule(node, add);
      checkRules(
        node.data.segment,
        { eventType: undefined, nodeId: node.id, field: 'data.segment' },
        add,
      );
      return;
    case 'condition':
      checkRules(node.data.rules, { eventType, nodeId: node.id, field: 'data.rules' }, add);
      return;
    case 'split':
      checkSplit(node, add);
      return;
    case 'wait.until':
      checkWaitUntil(node, eventType, add);
      return;
    case 'send.email':
      checkSend(node, eventType, add);
      return;
    case 'trigger.manual':
    case 'wait.duration':
    case 'wait.event':
    case 'exit':
      return;
  }
}

function checkRules(
  rules: RuleGroup,
  at: { eventType: string | undefined; nodeId: string; field: string },
  add: Add,
): void {
  const { eventType, nodeId, field } = at;
  for (const path of fieldsOf(rules)) {
    if (findVariable(path, eventType) === undefined) {
      add(
        'variable_unknown',
        `Node "${nodeId}" tests "${path}", which ${eventType ?? 'this trigger'} does not carry.`,
        field,
      );
    }
  }
}

function checkSchedule(node: NodeOf<'trigger.schedule'>, add: Add): void {
  if (!isIanaZone(node.data.timeZone)) {
    add(
      'time_zone_invalid',
      `"${node.data.timeZone}" is not an IANA zone such as America/Chicago.`,
      'data.timeZone',
    );
  }
  const cron = parseCron(node.data.cron);
  if (!cron.ok) {
    add(
      'cron_invalid',
      `"${node.data.cron}" is not a cron Pathwell can run: ${cron.message}`,
      'data.cron',
    );
  }
}

function checkSplit(node: NodeOf<'split'>, add: Add): void {
  const total = node.data.branches.reduce((sum, branch) => sum + branch.percent, 0);
  if (total !== 100) {
    add(
      'split_percent_sum',
      `Split "${node.id}" branches add up to ${total}%; make them 100%.`,
      'data.branches',
    );
  }
  const ids = node.data.branches.map((branch) => branch.id);
  for (const [position, id] of ids.entries()) {
    if (ids.indexOf(id) !== position) {
      add(
        'split_branch_duplicate',
        `Split "${node.id}" has two branches named "${id}".`,
        'data.branches',
      );
    }
  }
}

function checkWaitUntil(node: NodeOf<'wait.until'>, eventType: string | undefined, add: Add): void {
  const anchor = findVariable(node.data.anchor, eventType);
  if (anchor === undefined || (anchor.type !== 'datetime' && anchor.type !== 'date')) {
    add(
      'wait_anchor_not_time',
      `"${node.data.anchor}" is not a date or time that ${eventType ?? 'this trigger'} carries; ` +
        'anchor the wait on one such as appointment.start.',
      'data.anchor',
    );
  }
  const quiet = node.data.quietHours;
  if (quiet !== undefined && quiet.start === quiet.end) {
    add(
      'quiet_hours_empty',
      `Quiet hours of "${node.id}" start and end at ${quiet.start}.`,
      'data.quietHours',
    );
  }
}

function checkSend(node: NodeOf<'send.email'>, eventType: string | undefined, add: Add): void {
  const template = node.data.template;
  const analysis = analyseTemplate(template);
  for (const error of analysis.syntaxErrors) {
    add(
      'template_syntax',
      `The ${error.part} of "${node.id}" is not valid Liquid: ${error.message}`,
      `data.template.${error.part}`,
    );
  }

  const declared = new Set(template.variables);
  for (const path of declared) {
    if (findVariable(path, eventType) === undefined) {
      add(
        'variable_unknown',
        `"${node.id}" declares "${path}", which ${eventType ?? 'this trigger'} does not carry.`,
        'data.template.variables',
      );
    }
  }
  for (const use of analysis.uses) {
    const field = `data.template.${use.part}`;
    const spec = findVariable(use.path, eventType);
    if (spec === undefined) {
      add(
        'variable_unknown',
        `The ${use.part} of "${node.id}" uses "${use.path}", which ${eventType ?? 'this trigger'} does not carry.`,
        field,
      );
      continue;
    }
    if (!declared.has(use.path)) {
      add(
        'variable_undeclared',
        `The ${use.part} of "${node.id}" uses "${use.path}"; add it to the template's variables.`,
        field,
      );
    }
    if (spec.isConditionOnly === true) {
      add(
        'variable_condition_only',
        `"${use.path}" may be tested in conditions but not written into a message.`,
        field,
      );
    }
    if (HEADER_PARTS.includes(use.part) && spec.sensitivity !== 'S0') {
      add(
        'phi_in_header',
        `The ${use.part} of "${node.id}" uses "${use.path}", which is PHI; headers travel unprotected, so keep it in the body.`,
        field,
      );
    }
  }

  checkClassification(node, eventType, add);
  if (node.data.purpose === 'marketing') {
    checkMarketing(
      node,
      analysis.uses.map((use) => `${use.part}:${use.path}`),
      add,
    );
  }
}

// AC-CLS-1: whether a message is marketing depends on what it is about, so a refill reminder
// must say which drug and what the organisation is paid, and a marketing send its programme.
function checkClassification(
  node: NodeOf<'send.email'>,
  eventType: string | undefined,
  add: Add,
): void {
  if (eventType === 'prescription.renewal_due' && node.data.refill === undefined) {
    add(
      'refill_classification_missing',
      `Refill reminder "${node.id}" must declare refill.drugRef and refill.remuneration.`,
      'data.refill',
    );
  }
  if (node.data.purpose === 'marketing' && node.data.campaign === undefined) {
    add(
      'marketing_campaign_missing',
      `Marketing email "${node.id}" must name its campaign.program, which an authorization must cover.`,
      'data.campaign',
    );
  }
}

function checkMarketing(node: NodeOf<'send.email'>, uses: string[], add: Add): void {
  for (const part of ['html', 'text'] as const) {
    if (node.data.template[part] === '') {
      continue;
    }
    if (!uses.includes(`${part}:links.unsubscribe`)) {
      add(
        'marketing_unsubscribe_missing',
        `The ${part} body of marketing email "${node.id}" needs {{ links.unsubscribe }}.`,
        `data.template.${part}`,
      );
    }
    if (!uses.includes(`${part}:organisation.postalAddress`)) {
      add(
        'marketing_postal_address_missing',
        `The ${part} body of marketing email "${node.id}" needs {{ organisation.postalAddress }}.`,
        `data.template.${part}`,
      );
    }
  }
}
