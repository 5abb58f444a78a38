import { describe, expect, it } from 'vitest';
import type { CanvasGraph, CanvasNode } from './graph.types.js';
import { layoutGraph } from './layout.js';

function node(id: string): CanvasNode {
  return { id, type: 'exit', position: { x: 0, y: 0 }, data: { outcome: 'done' } };
}

describe('layoutGraph', () => {
  it('places each node below the one it follows, without overlaps', () => {
    const graph: CanvasGraph = {
      nodes: [node('t'), node('yes'), node('no'), node('end')],
      edges: [
        { id: 'e1', source: 't', sourceHandle: 'yes', target: 'yes' },
        { id: 'e2', source: 't', sourceHandle: 'no', target: 'no' },
        { id: 'e3', source: 'yes', sourceHandle: 'out', target: 'end' },
      ],
    };

    const placed = new Map(layoutGraph(graph).map((n) => [n.id, n.position]));

    const y = (id: string) => placed.get(id)?.y ?? Number.NaN;
    const x = (id: string) => placed.get(id)?.x ?? Number.NaN;
    expect(y('yes')).toBeGreaterThan(y('t'));
    expect(y('end')).toBeGreaterThan(y('yes'));
    expect(y('yes')).toBe(y('no'));
    expect(Math.abs(x('yes') - x('no'))).toBeGreaterThanOrEqual(240);
  });

  it('ignores edges to nodes that are not there and keeps node data', () => {
    const graph: CanvasGraph = {
      nodes: [node('a')],
      edges: [{ id: 'e', source: 'a', sourceHandle: 'out', target: 'gone' }],
    };

    const [only] = layoutGraph(graph);

    expect(only?.data).toBe(graph.nodes[0]?.data);
    expect(Number.isFinite(only?.position.x)).toBe(true);
  });
});
