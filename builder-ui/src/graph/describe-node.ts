import type { JourneyNode } from '../../../engine/journey/journey.schema.js';
import { isRuleGroup, type Rule, type RuleGroup } from '../../../engine/journey/rules.schema.js';
import type { Duration } from '../../../engine/journey/vocabulary.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** What a node does, in the words a designer would use: shown on the node itself. */
export function describeNode(node: Pick<JourneyNode, 'type' | 'data'> | JourneyNode): string {
  const { type, data } = node as JourneyNode;
  switch (type) {
    case 'trigger.event':
      return `When ${data.eventType}${data.filter ? `, if ${describeGroup(data.filter)}` : ''}`;
    case 'trigger.schedule':
      return `On "${data.cron}" (${data.timeZone}), ${data.batchSize} per batch`;
    case 'trigger.manual':
      return 'Started by a person for one patient';
    case 'condition':
      return `If ${describeGroup(data.rules)}`;
    case 'split':
      return data.branches.map((branch) => `${branch.percent}% ${branch.id}`).join(' / ');
    case 'wait.duration':
      return `Wait ${words(data.duration)}`;
    case 'wait.until':
      return describeWaitUntil(data);
    case 'wait.event':
      return `Wait for ${data.eventType}, at most ${words(data.timeout)}`;
    case 'send.email':
      return `Email (${data.purpose}, protection ${data.protection}): "${data.template.subject}"`;
    case 'exit':
      return `End: ${data.outcome}${data.reason ? ` (${data.reason})` : ''}`;
  }
}

function describeWaitUntil(data: Extract<JourneyNode, { type: 'wait.until' }>['data']): string {
  const parts = [`${words(data.offset)} ${data.offset.direction} ${data.anchor}`];
  if (data.atLocalTime !== undefined) {
    parts.push(`at ${data.atLocalTime}`);
  }
  if (data.quietHours !== undefined) {
    parts.push(`not ${data.quietHours.start}–${data.quietHours.end}`);
  }
  if (data.weekdays !== undefined) {
    parts.push(`only ${data.weekdays.map((day) => WEEKDAYS[day - 1] ?? String(day)).join(' ')}`);
  }
  parts.push(data.ifPassed === 'exit' ? 'exit if passed' : 'at once if passed');
  return parts.join(', ');
}

/** A duration in words: "24 h", "1 day", "30 min". */
export function words(duration: Duration): string {
  const { amount, unit } = duration;
  if (unit === 'minutes') {
    return `${amount} min`;
  }
  if (unit === 'hours') {
    return `${amount} h`;
  }
  return `${amount} ${amount === 1 ? 'day' : 'days'}`;
}

function describeGroup(group: RuleGroup): string {
  if (group.rules.length === 0) {
    return group.combinator === 'all' ? 'always' : 'never';
  }
  if (group.rules.length === 1) {
    const only = group.rules[0] as Rule | RuleGroup;
    return isRuleGroup(only) ? describeGroup(only) : describeRule(only);
  }
  return `${group.combinator} of ${group.rules.length} rules`;
}

function describeRule(rule: Rule): string {
  if (rule.op === 'exists' || rule.op === 'not_exists') {
    return `${rule.field} ${rule.op.replace('_', ' ')}`;
  }
  return `${rule.field} ${rule.op.replace('_', ' ')} ${JSON.stringify(rule.value)}`;
}
