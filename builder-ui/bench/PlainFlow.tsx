import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  useEdgesState,
  useNodesState,
} from '@xyflow/react';
import type { JSX } from 'react';
import type { JourneyDocument } from '../../engine/journey/journey.schema.js';

/**
 * The baseline: plain React Flow with its default nodes, the same nodes and edges, minimap and
 * controls, and nothing of Pathwell's (no validation, no inspector, no custom nodes).
 */
export function PlainFlow({ document }: { document: JourneyDocument }): JSX.Element {
  const [nodes, , onNodesChange] = useNodesState<Node>(
    document.nodes.map((node) => ({
      id: node.id,
      position: node.position,
      data: { label: `${node.type} ${node.id}` },
    })),
  );
  const [edges, , onEdgesChange] = useEdgesState<Edge>(
    document.edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target })),
  );
  return (
    <div style={{ width: '100vw', height: '100vh' }}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        fitView
        minZoom={0.05}
      >
        <Background />
        <MiniMap />
        <Controls />
      </ReactFlow>
    </div>
  );
}
