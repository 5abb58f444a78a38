import type { JourneyIssue } from '../../../engine/journey/graph-rules.js';
import { validateJourney } from '../../../engine/journey/validate.js';
import type { JourneyDocument } from '../../../engine/journey/journey.schema.js';

/** The validator's verdict, arranged for the canvas. */
export interface CanvasValidation {
  issues: JourneyIssue[];
  byNode: Map<string, string[]>;
  edgeIds: Set<string>;
}

/**
 * Runs the engine's validator (the very one the server publishes with) and groups its issues by
 * node, and the edges it blames, so the canvas can mark them.
 */
export function validateCanvas(document: JourneyDocument): CanvasValidation {
  const result = validateJourney(document);
  const issues = result.ok ? [] : result.issues;
  const byNode = new Map<string, string[]>();
  const edgeIds = new Set<string>();
  for (const issue of issues) {
    if (issue.nodeId !== undefined) {
      byNode.set(issue.nodeId, [...(byNode.get(issue.nodeId) ?? []), issue.message]);
    }
    if (issue.edgeId !== undefined) {
      edgeIds.add(issue.edgeId);
    }
  }
  return { issues, byNode, edgeIds };
}
