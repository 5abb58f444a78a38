import type { Issue } from '../errors/app-error.js';
import type { JourneyIssueCode } from './issue-codes.js';
import type { JourneyDocument, JourneyNode } from './journey.schema.js';
import { NODE_TYPES, TRIGGER_TYPES } from './nodes.schema.js';

/** An issue with a code from the journey rule list. */
export type JourneyIssue = Issue & { code: JourneyIssueCode };

/** The outcome handles a node offers: fixed per type, or a split's branch ids. */
export function handlesOf(node: JourneyNode): string[] {
  const handles = NODE_TYPES[node.type].handles;
  if (handles === 'branches') {
    return node.type === 'split' ? node.data.branches.map((branch) => branch.id) : [];
  }
  return [...handles];
}

/** Whether a node starts runs. */
export function isTrigger(node: JourneyNode): boolean {
  return (TRIGGER_TYPES as readonly string[]).includes(node.type);
}

/**
 * Structural rules: unique ids, exactly one trigger, edges between real nodes and real
 * outcomes, every outcome connected exactly once, every node reachable, no cycles.
 */
export function checkGraph(document: JourneyDocument): JourneyIssue[] {
  const issues: JourneyIssue[] = [];
  const nodes = new Map<string, JourneyNode>();
  for (const node of document.nodes) {
    if (nodes.has(node.id)) {
      issues.push(
        issue('node_id_duplicate', `Two nodes have the id "${node.id}"; rename one.`, node.id),
      );
    }
    nodes.set(node.id, node);
  }

  const triggers = document.nodes.filter(isTrigger);
  if (triggers.length === 0) {
    issues.push(issue('trigger_missing', 'Add a trigger: the journey has nothing that starts it.'));
  }
  for (const extra of triggers.slice(1)) {
    issues.push(
      issue(
        'trigger_multiple',
        `Remove trigger "${extra.id}": a journey has exactly one.`,
        extra.id,
      ),
    );
  }

  const outgoing = checkEdges(document, nodes, issues);
  checkHandles(document, outgoing, issues);
  const trigger = triggers[0];
  if (trigger !== undefined) {
    checkReachable(document, trigger, outgoing, issues);
  }
  checkCycles(document, outgoing, issues);
  return issues;
}

/** Outgoing edges by `nodeId` then handle, built while checking every edge. */
type Outgoing = Map<string, Map<string, string[]>>;

function checkEdges(
  document: JourneyDocument,
  nodes: Map<string, JourneyNode>,
  issues: JourneyIssue[],
): Outgoing {
  const outgoing: Outgoing = new Map();
  const edgeIds = new Set<string>();
  for (const edge of document.edges) {
    const at = { edgeId: edge.id };
    if (edgeIds.has(edge.id)) {
      issues.push({ ...issue('edge_id_duplicate', `Two edges have the id "${edge.id}".`), ...at });
    }
    edgeIds.add(edge.id);

    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (source === undefined) {
      issues.push({
        ...issue(
          'edge_source_unknown',
          `Edge "${edge.id}" starts at "${edge.source}", which does not exist.`,
        ),
        ...at,
      });
      continue;
    }
    if (target === undefined) {
      issues.push({
        ...issue(
          'edge_target_unknown',
          `Edge "${edge.id}" ends at "${edge.target}", which does not exist.`,
        ),
        ...at,
      });
      continue;
    }
    if (isTrigger(target)) {
      issues.push({
        ...issue(
          'edge_into_trigger',
          `Edge "${edge.id}" leads into trigger "${target.id}".`,
          target.id,
        ),
        ...at,
      });
      continue;
    }

    const handles = handlesOf(source);
    const handle = edge.sourceHandle ?? (handles.length === 1 ? handles[0] : undefined);
    if (handle === undefined || !handles.includes(handle)) {
      const offered = handles.length === 0 ? 'no outcomes' : `outcomes ${handles.join(', ')}`;
      issues.push({
        ...issue(
          'edge_handle_unknown',
          `Edge "${edge.id}" leaves "${source.id}" from "${edge.sourceHandle ?? '(none)'}"; ` +
            `a ${source.type} node has ${offered}.`,
          source.id,
        ),
        ...at,
      });
      continue;
    }
    const byHandle = outgoing.get(source.id) ?? new Map<string, string[]>();
    byHandle.set(handle, [...(byHandle.get(handle) ?? []), target.id]);
    outgoing.set(source.id, byHandle);
  }
  return outgoing;
}

function checkHandles(document: JourneyDocument, outgoing: Outgoing, issues: JourneyIssue[]): void {
  for (const node of document.nodes) {
    for (const handle of handlesOf(node)) {
      const targets = outgoing.get(node.id)?.get(handle) ?? [];
      if (targets.length === 0) {
        issues.push(
          issue(
            'handle_unconnected',
            `Outcome "${handle}" of "${node.id}" leads nowhere: connect it to the next step, ` +
              'or to an exit node to end the run there.',
            node.id,
          ),
        );
      } else if (targets.length > 1) {
        issues.push(
          issue(
            'handle_multiple_edges',
            `Outcome "${handle}" of "${node.id}" is connected to ${targets.join(', ')}; ` +
              'keep one connection (use a split to send patients different ways).',
            node.id,
          ),
        );
      }
    }
  }
}

function checkReachable(
  document: JourneyDocument,
  trigger: JourneyNode,
  outgoing: Outgoing,
  issues: JourneyIssue[],
): void {
  const reached = new Set<string>([trigger.id]);
  const queue = [trigger.id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const targets of outgoing.get(next)?.values() ?? []) {
      for (const target of targets) {
        if (!reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
  }
  for (const node of document.nodes) {
    if (!reached.has(node.id) && !isTrigger(node)) {
      issues.push(
        issue(
          'node_unreachable',
          `Node "${node.id}" cannot be reached from the trigger; connect it or delete it.`,
          node.id,
        ),
      );
    }
  }
}

// Iterative three-colour depth-first search: a 1,000-node chain must not overflow the stack.
function checkCycles(document: JourneyDocument, outgoing: Outgoing, issues: JourneyIssue[]): void {
  const colour = new Map<string, 'grey' | 'black'>();
  const reported = new Set<string>();
  for (const root of document.nodes) {
    if (colour.has(root.id)) {
      continue;
    }
    const stack: Array<{ id: string; targets: string[] }> = [
      { id: root.id, targets: targetsOf(outgoing, root.id) },
    ];
    colour.set(root.id, 'grey');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; targets: string[] };
      const target = frame.targets.pop();
      if (target === undefined) {
        colour.set(frame.id, 'black');
        stack.pop();
        continue;
      }
      if (colour.get(target) === 'grey' && !reported.has(frame.id)) {
        reported.add(frame.id);
        issues.push(
          issue(
            'cycle',
            `The connection from "${frame.id}" back to "${target}" makes a loop; journeys run ` +
              'forward only (use a wait.event with a timeout to wait for something).',
            frame.id,
          ),
        );
      } else if (!colour.has(target)) {
        colour.set(target, 'grey');
        stack.push({ id: target, targets: targetsOf(outgoing, target) });
      }
    }
  }
}

function targetsOf(outgoing: Outgoing, id: string): string[] {
  return [...(outgoing.get(id)?.values() ?? [])].flat();
}

function issue(code: JourneyIssueCode, message: string, nodeId?: string): JourneyIssue {
  return nodeId === undefined ? { code, message } : { code, message, nodeId };
}
