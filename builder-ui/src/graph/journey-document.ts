import type { JourneyDocument, JourneyNode } from '../../../engine/journey/journey.schema.js';
import { JOURNEY_SCHEMA_VERSION } from '../../../engine/journey/journey.schema.js';
import type { CanvasEdge, CanvasGraph, CanvasNode } from './graph.types.js';

/** The canvas graph of a journey document. */
export function toCanvas(document: JourneyDocument): CanvasGraph {
  return {
    nodes: document.nodes.map((node) => ({
      id: node.id,
      type: node.type,
      position: node.position,
      data: node.data,
    })),
    edges: document.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
    })),
  };
}

/**
 * The journey document the canvas shows: what is saved, exported and validated. Canvas-only
 * state (selection, measured sizes) is left behind.
 */
export function toDocument(
  meta: { name: string; description: string },
  graph: CanvasGraph,
): JourneyDocument {
  return {
    schemaVersion: JOURNEY_SCHEMA_VERSION,
    name: meta.name,
    description: meta.description,
    nodes: graph.nodes.map(
      (node: CanvasNode) =>
        ({
          id: node.id,
          type: node.type,
          position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
          data: node.data,
        }) as JourneyNode,
    ),
    edges: graph.edges.map((edge: CanvasEdge) => ({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle ?? null,
      target: edge.target,
    })),
  };
}
