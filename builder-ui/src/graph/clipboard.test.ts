import { describe, expect, it } from 'vitest';
import { copySelection, pasteClip } from './clipboard.js';
import type { CanvasGraph, CanvasNode } from './graph.types.js';

function node(id: string, selected: boolean): CanvasNode {
  return {
    id,
    type: 'wait.duration',
    position: { x: 10, y: 20 },
    data: { duration: { amount: 1, unit: 'days' } },
    selected,
  };
}

const graph: CanvasGraph = {
  nodes: [node('a', true), node('b', true), node('c', false)],
  edges: [
    { id: 'ab', source: 'a', sourceHandle: 'out', target: 'b' },
    { id: 'bc', source: 'b', sourceHandle: 'out', target: 'c' },
  ],
};

describe('copySelection and pasteClip', () => {
  it('copies the selected nodes and only the edges between them', () => {
    const clip = copySelection(graph);

    expect(clip.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(clip.edges.map((e) => e.id)).toEqual(['ab']);
  });

  it('pastes with new ids, edges following their nodes, offset and selected', () => {
    const clip = copySelection(graph);

    const pasted = pasteClip(graph, clip, { x: 40, y: 40 });

    const added = pasted.nodes.slice(3);
    const ids = new Set(added.map((n) => n.id));
    expect(added).toHaveLength(2);
    expect([...ids].some((id) => ['a', 'b', 'c'].includes(id))).toBe(false);
    expect(added.every((n) => n.selected === true && n.position.x === 50)).toBe(true);
    const edge = pasted.edges[2];
    expect(edge?.id).not.toBe('ab');
    expect(ids.has(edge?.source ?? '') && ids.has(edge?.target ?? '')).toBe(true);
    expect(pasted.nodes.slice(0, 3).every((n) => n.selected === false)).toBe(true);
  });

  it('makes deep copies: later edits to the original do not reach the paste', () => {
    const clip = copySelection(graph);
    const pasted = pasteClip(graph, clip, { x: 0, y: 0 });
    const original = graph.nodes[0]?.data as { duration: { amount: number } };

    original.duration.amount = 99;

    const copy = pasted.nodes[3]?.data as { duration: { amount: number } };
    expect(copy.duration.amount).toBe(1);
    original.duration.amount = 1;
  });

  it('gives every paste of the same clip fresh ids', () => {
    const clip = copySelection(graph);

    const once = pasteClip(graph, clip, { x: 0, y: 0 });
    const twice = pasteClip(once, clip, { x: 0, y: 0 });

    expect(new Set(twice.nodes.map((n) => n.id)).size).toBe(7);
  });
});
