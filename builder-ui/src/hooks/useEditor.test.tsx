import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useEditor } from './useEditor.js';

describe('useEditor', () => {
  it('deletes a node with its edges as one step, and undo brings both back', () => {
    const { result } = renderHook(() => useEditor());
    let first = '';
    let second = '';
    act(() => {
      first = result.current.addNode('trigger.event', { x: 0, y: 0 });
    });
    act(() => {
      second = result.current.addNode('exit', { x: 0, y: 200 });
    });
    act(() => {
      result.current.onConnect({
        source: first,
        sourceHandle: 'out',
        target: second,
        targetHandle: 'in',
      });
    });
    expect(result.current.graph.edges).toHaveLength(1);

    act(() => result.current.selectOnly(second));
    act(() => result.current.deleteSelection());
    expect(result.current.graph.nodes.map((n) => n.id)).toEqual([first]);
    expect(result.current.graph.edges).toHaveLength(0);
    act(() => result.current.undo());

    expect(result.current.graph.nodes.map((n) => n.id)).toEqual([first, second]);
    expect(result.current.graph.edges).toHaveLength(1);
  });

  it('pastes a copy with new ids, and undo removes the whole paste', () => {
    const { result } = renderHook(() => useEditor());
    act(() => {
      result.current.addNode('wait.duration', { x: 0, y: 0 });
    });
    act(() => result.current.copy());
    act(() => result.current.paste());
    const ids = result.current.graph.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(2);

    act(() => result.current.undo());

    expect(result.current.graph.nodes).toHaveLength(1);
  });

  it('groups typing in one field into one undo step and marks the graph dirty', () => {
    const { result } = renderHook(() => useEditor());
    let id = '';
    act(() => {
      result.current.load({ nodes: [], edges: [] });
    });
    act(() => {
      id = result.current.addNode('exit', { x: 0, y: 0 });
    });
    for (const outcome of ['d', 'do', 'don']) {
      act(() => result.current.updateData(id, 'outcome', { outcome }));
    }
    expect(result.current.isDirty).toBe(true);

    act(() => result.current.undo());

    expect(result.current.graph.nodes[0]?.data).toEqual({ outcome: 'done' });
  });

  it('points an outcome at another node in one step, replacing its edge', () => {
    const { result } = renderHook(() => useEditor());
    const ids: string[] = [];
    for (const type of ['trigger.event', 'exit', 'exit'] as const) {
      act(() => {
        ids.push(result.current.addNode(type, { x: 0, y: 0 }));
      });
    }
    const [trigger = '', first = '', second = ''] = ids;
    act(() => result.current.connectOutcome(trigger, 'out', first));
    act(() => result.current.connectOutcome(trigger, 'out', second));

    expect(result.current.graph.edges.map((e) => e.target)).toEqual([second]);
    act(() => result.current.undo());
    expect(result.current.graph.edges.map((e) => e.target)).toEqual([first]);
  });

  it('restores another graph as one undoable step', () => {
    const { result } = renderHook(() => useEditor());
    act(() => {
      result.current.addNode('exit', { x: 0, y: 0 });
    });
    const before = result.current.graph;

    act(() => result.current.restore({ nodes: [], edges: [] }));
    expect(result.current.graph.nodes).toHaveLength(0);
    act(() => result.current.undo());

    expect(result.current.graph).toBe(before);
  });
});
