import { useMemo, useRef } from 'react';
import type { JourneyDocument } from '../../../../engine/journey/journey.schema.js';
import type { CanvasGraph } from '../../graph/graph.types.js';
import { toDocument } from '../../graph/journey-document.js';
import { type CanvasValidation, validateCanvas } from '../../graph/validation.js';

/**
 * The document and its validation, recomputed only when something a run depends on changed:
 * a drag moves positions on every frame, and validating 500 nodes per frame would stall it.
 */
export function useJourneyValidation(
  meta: { name: string; description: string },
  graph: CanvasGraph,
): { document: JourneyDocument; validation: CanvasValidation } {
  const last = useRef<{ graph: CanvasGraph; name: string; validation: CanvasValidation } | null>(
    null,
  );
  const document = useMemo(() => toDocument(meta, graph), [meta, graph]);
  const validation = useMemo(() => {
    const previous = last.current;
    if (
      previous !== null &&
      previous.name === meta.name &&
      isSameStructure(previous.graph, graph)
    ) {
      return previous.validation;
    }
    const next = validateCanvas(document);
    last.current = { graph, name: meta.name, validation: next };
    return next;
  }, [document, graph, meta.name]);
  return { document, validation };
}

function isSameStructure(a: CanvasGraph, b: CanvasGraph): boolean {
  if (a.edges !== b.edges && !sameEdges(a, b)) {
    return false;
  }
  return (
    a.nodes.length === b.nodes.length &&
    a.nodes.every((node, i) => node.id === b.nodes[i]?.id && node.data === b.nodes[i]?.data)
  );
}

function sameEdges(a: CanvasGraph, b: CanvasGraph): boolean {
  return (
    a.edges.length === b.edges.length &&
    a.edges.every((edge, i) => {
      const other = b.edges[i];
      return (
        other?.id === edge.id &&
        other.source === edge.source &&
        other.target === edge.target &&
        other.sourceHandle === edge.sourceHandle
      );
    })
  );
}
