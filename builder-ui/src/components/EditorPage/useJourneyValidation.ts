import { useMemo, useRef } from 'react';
import type { CanvasGraph } from '../../graph/graph.types.js';
import { toDocument } from '../../graph/journey-document.js';
import { type CanvasValidation, validateCanvas } from '../../graph/validation.js';

/**
 * The validator's verdict on the canvas, recomputed only when something a run depends on
 * changed: a drag moves positions on every frame, and validating 500 nodes per frame would
 * stall it. The same verdict object comes back while nothing changed, so what shows it does
 * not re-render.
 */
// TODO: the validator runs on the main thread: about 90 ms for 500 nodes once warm, 300 ms the
// first time (zod, then Liquid analysis of every template), so a big journey's first verdict
// holds the page that long after it opens. Running validateCanvas in a Web Worker (the engine
// is pure, so it can) would free the page; until then the verdict is deferred and skipped for
// position-only changes.
export function useJourneyValidation(
  meta: { name: string; description: string },
  graph: CanvasGraph,
): JourneyStructure {
  const last = useRef<{ name: string; result: JourneyStructure } | null>(null);
  return useMemo(() => {
    const previous = last.current;
    if (
      previous !== null &&
      previous.name === meta.name &&
      isSameStructure(previous.result.graph, graph)
    ) {
      return previous.result;
    }
    const result = { graph, validation: validateCanvas(toDocument(meta, graph)) };
    last.current = { name: meta.name, result };
    return result;
  }, [meta, graph]);
}

/**
 * The verdict, and the graph as it was when the structure last changed: what the inspector and
 * the outcome lists read (ids, data, edges), which a drag does not change. Its positions may
 * be stale; nothing that reads it uses them.
 */
export interface JourneyStructure {
  graph: CanvasGraph;
  validation: CanvasValidation;
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
