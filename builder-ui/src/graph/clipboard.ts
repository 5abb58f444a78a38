import type { XYPosition } from '@xyflow/react';
import type { CanvasEdge, CanvasGraph, CanvasNode } from './graph.types.js';
import { newId } from './ids.js';

/** What a copy holds: the selected nodes and the edges between them. */
export interface Clip {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

/**
 * Copies the selected nodes and only the edges whose both ends are selected (an edge to a node
 * left behind would dangle in the paste). The copy is deep: editing the original later does not
 * change what is pasted.
 */
export function copySelection(graph: CanvasGraph): Clip {
  const nodes = graph.nodes.filter((node) => node.selected === true);
  const ids = new Set(nodes.map((node) => node.id));
  const edges = graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
  return structuredClone({ nodes: nodes.map(plainNode), edges: edges.map(plainEdge) });
}

/**
 * The graph with a clip pasted in: every node and edge gets a new id, edges follow their nodes,
 * positions move by `offset`, and the pasted nodes become the selection.
 */
export function pasteClip(graph: CanvasGraph, clip: Clip, offset: XYPosition): CanvasGraph {
  const idFor = new Map(clip.nodes.map((node) => [node.id, newId('n')]));
  const copy = structuredClone(clip);
  const nodes = copy.nodes.map((node) => ({
    ...node,
    id: idFor.get(node.id) ?? newId('n'),
    position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
    selected: true,
  }));
  const edges = copy.edges.map((edge) => ({
    ...edge,
    id: newId('e'),
    source: idFor.get(edge.source) ?? edge.source,
    target: idFor.get(edge.target) ?? edge.target,
    selected: false,
  }));
  return {
    nodes: [...graph.nodes.map((node) => ({ ...node, selected: false })), ...nodes],
    edges: [...graph.edges, ...edges],
  };
}

function plainNode(node: CanvasNode): CanvasNode {
  return { id: node.id, type: node.type, position: node.position, data: node.data };
}

function plainEdge(edge: CanvasEdge): CanvasEdge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle ?? null,
    target: edge.target,
  };
}
