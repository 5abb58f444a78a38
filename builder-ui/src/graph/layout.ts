import dagre from '@dagrejs/dagre';
import type { CanvasGraph, CanvasNode } from './graph.types.js';

// Before React Flow has measured a node (a journey just opened) its size is this estimate.
const DEFAULT_SIZE = { width: 240, height: 90 };

/**
 * Lays the journey out top to bottom with dagre (a layered layout suits a DAG that flows from
 * its trigger): returns nodes at their new positions, everything else unchanged.
 */
export function layoutGraph(graph: CanvasGraph): CanvasNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 60 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    g.setNode(node.id, sizeOf(node));
  }
  for (const edge of graph.edges) {
    if (g.hasNode(edge.source) && g.hasNode(edge.target)) {
      g.setEdge(edge.source, edge.target);
    }
  }
  dagre.layout(g);
  return graph.nodes.map((node) => {
    const placed = g.node(node.id) as { x: number; y: number };
    const { width, height } = sizeOf(node);
    // dagre places centres; React Flow positions are top-left corners.
    return { ...node, position: { x: placed.x - width / 2, y: placed.y - height / 2 } };
  });
}

function sizeOf(node: CanvasNode): { width: number; height: number } {
  return {
    width: node.measured?.width ?? DEFAULT_SIZE.width,
    height: node.measured?.height ?? DEFAULT_SIZE.height,
  };
}
