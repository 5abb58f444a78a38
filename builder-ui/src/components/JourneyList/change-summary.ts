import type { JourneyDocument } from '../../../../engine/journey/journey.schema.js';

/**
 * What a draft changes against the published version, in words, for the publish dialog:
 * nodes added, removed and changed (by id and type), and edges added or removed.
 */
export function summariseChanges(
  published: JourneyDocument | null,
  draft: JourneyDocument,
): string[] {
  if (published === null) {
    return [`First version: ${draft.nodes.length} nodes, ${draft.edges.length} edges.`];
  }
  const before = new Map(published.nodes.map((node) => [node.id, node]));
  const after = new Map(draft.nodes.map((node) => [node.id, node]));
  const lines: string[] = [];
  for (const node of draft.nodes) {
    const old = before.get(node.id);
    if (old === undefined) {
      lines.push(`Added ${node.type} "${node.id}".`);
    } else if (JSON.stringify(old.data) !== JSON.stringify(node.data)) {
      lines.push(`Changed ${node.type} "${node.id}".`);
    }
  }
  for (const node of published.nodes) {
    if (!after.has(node.id)) {
      lines.push(`Removed ${node.type} "${node.id}".`);
    }
  }
  const key = (e: JourneyDocument['edges'][number]) => `${e.source}:${e.sourceHandle}->${e.target}`;
  const edgesBefore = new Set(published.edges.map(key));
  const edgesAfter = new Set(draft.edges.map(key));
  const added = [...edgesAfter].filter((edge) => !edgesBefore.has(edge)).length;
  const removed = [...edgesBefore].filter((edge) => !edgesAfter.has(edge)).length;
  if (added > 0 || removed > 0) {
    lines.push(`Connections: ${added} added, ${removed} removed.`);
  }
  if (published.name !== draft.name) {
    lines.push(`Renamed to "${draft.name}".`);
  }
  return lines.length === 0 ? ['No change in what runs do (only positions moved).'] : lines;
}
