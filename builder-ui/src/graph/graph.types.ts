import type { Edge, Node } from '@xyflow/react';
import type { JourneyNode } from '../../../engine/journey/journey.schema.js';
import type { NodeType } from '../../../engine/journey/nodes.schema.js';

/** The data of a canvas Node: the journey node's own data, typed by its node type. */
export type JourneyNodeData = JourneyNode['data'] & Record<string, unknown>;

/** A canvas Node: React Flow's Node whose `type` is a journey node type. */
export type CanvasNode = Node<JourneyNodeData, NodeType>;

/** A canvas Edge: from a named outcome handle to a node. */
export type CanvasEdge = Edge;

/** What undo and redo restore: the nodes and edges, nothing else. */
export interface CanvasGraph {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}
