import type { z } from 'zod';
import { checkGraph, type JourneyIssue } from './graph-rules.js';
import { type JourneyDocument, JourneyDocumentSchema } from './journey.schema.js';
import { checkNodes } from './node-rules.js';
import { NODE_TYPES } from './nodes.schema.js';

/** What the validator found. */
export type ValidationResult =
  | { ok: true; document: JourneyDocument; issues: [] }
  /** `malformed`: the document does not have the journey format's shape (HTTP 400, not 422). */
  | { ok: false; malformed: boolean; issues: JourneyIssue[] };

/**
 * Checks a journey document against every rule at once and returns every problem found, each
 * with a message a designer can act on. Never throws, whatever it is given.
 *
 * @param input - a journey document, as parsed JSON of unknown shape
 */
export function validateJourney(input: unknown): ValidationResult {
  const unknownTypes = unknownNodeTypes(input);
  const parsed = JourneyDocumentSchema.safeParse(input);
  if (!parsed.success || unknownTypes.length > 0) {
    const shapeIssues = parsed.success ? [] : fromZod(parsed.error, input);
    return { ok: false, malformed: true, issues: [...unknownTypes, ...shapeIssues] };
  }

  const document = parsed.data;
  const trigger = document.nodes.find((node) => node.type === 'trigger.event');
  const eventType = trigger?.type === 'trigger.event' ? trigger.data.eventType : undefined;
  const issues = [...checkGraph(document), ...checkNodes(document, eventType)];
  return issues.length === 0
    ? { ok: true, document, issues: [] }
    : { ok: false, malformed: false, issues };
}

function unknownNodeTypes(input: unknown): JourneyIssue[] {
  const nodes = (input as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) {
    return [];
  }
  const issues: JourneyIssue[] = [];
  for (const node of nodes) {
    const { id, type } = (node ?? {}) as { id?: unknown; type?: unknown };
    if (typeof type === 'string' && !(type in NODE_TYPES)) {
      issues.push({
        code: 'node_type_unknown',
        message:
          `Node "${String(id)}" has type "${type}", which is not one of ` +
          `${Object.keys(NODE_TYPES).join(', ')}.`,
        ...(typeof id === 'string' ? { nodeId: id } : {}),
        field: 'type',
      });
    }
  }
  return issues;
}

function fromZod(error: z.ZodError, input: unknown): JourneyIssue[] {
  return error.issues
    .filter((issue) => !isUnknownTypeNoise(issue, input))
    .map((issue) => {
      const nodeId = nodeIdAt(input, issue.path);
      const field = issue.path.map(String).join('.');
      return {
        code: 'schema_invalid' as const,
        message: `${field === '' ? 'The document' : `"${field}"`}: ${issue.message}`,
        ...(nodeId === undefined ? {} : { nodeId }),
        ...(field === '' ? {} : { field }),
      };
    });
}

// An unknown node type is already reported as node_type_unknown; zod's discriminator error for
// the same node would only repeat it less helpfully.
function isUnknownTypeNoise(issue: z.core.$ZodIssue, input: unknown): boolean {
  const [member, index] = issue.path;
  if (member !== 'nodes' || typeof index !== 'number') {
    return false;
  }
  const nodes = (input as { nodes?: unknown[] }).nodes;
  const type = (nodes?.[index] as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && !(type in NODE_TYPES);
}

function nodeIdAt(input: unknown, path: PropertyKey[]): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') {
    return undefined;
  }
  const nodes = (input as { nodes?: unknown[] }).nodes;
  const id = (nodes?.[path[1]] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
