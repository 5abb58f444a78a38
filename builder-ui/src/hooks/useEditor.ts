import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  reconnectEdge,
  type XYPosition,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { NodeType } from '../../../engine/journey/nodes.schema.js';
import { type Clip, copySelection, pasteClip } from '../graph/clipboard.js';
import type { CanvasEdge, CanvasGraph, CanvasNode, JourneyNodeData } from '../graph/graph.types.js';
import {
  commit,
  type History,
  initHistory,
  record,
  redo,
  replace,
  undo,
} from '../graph/history.js';
import { newId } from '../graph/ids.js';
import { layoutGraph } from '../graph/layout.js';
import { defaultDataFor } from '../graph/node-defaults.js';

/** Everything the canvas can do to the graph, each one a whole user action for undo. */
export interface Editor {
  graph: CanvasGraph;
  canUndo: boolean;
  canRedo: boolean;
  /** Whether the graph changed since it was loaded or last marked saved. */
  isDirty: boolean;
  load: (graph: CanvasGraph) => void;
  /** Replaces the graph as one undoable step (restoring an old version into the draft). */
  restore: (graph: CanvasGraph) => void;
  markSaved: () => void;
  onNodesChange: (changes: NodeChange<CanvasNode>[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  onConnect: (connection: Connection) => void;
  onReconnect: (oldEdge: CanvasEdge, connection: Connection) => void;
  beginAction: () => void;
  /** Points one outcome at a node (or at nothing), replacing the edge it had. */
  connectOutcome: (source: string, handle: string, target: string | null) => void;
  addNode: (type: NodeType, position: XYPosition) => string;
  updateData: (nodeId: string, field: string, data: JourneyNodeData) => void;
  selectOnly: (nodeId: string) => void;
  selectAll: () => void;
  deleteSelection: () => void;
  copy: () => void;
  paste: () => void;
  layout: () => void;
  undo: () => void;
  redo: () => void;
}

/** The canvas graph with its undo history, copy/paste clipboard and dirty flag. */
export function useEditor(): Editor {
  const [history, setHistory] = useState<History<CanvasGraph>>(() =>
    initHistory({ nodes: [], edges: [] }),
  );
  const clip = useRef<Clip | null>(null);
  const pasteCount = useRef(0);
  const [savedGraph, setSavedGraph] = useState<CanvasGraph | null>(null);
  const graph = history.present;

  const apply = useCallback((change: (graph: CanvasGraph) => CanvasGraph, isStep: boolean) => {
    setHistory((current) => {
      const next = change(current.present);
      return isStep ? commit(current, next) : replace(current, next);
    });
  }, []);

  const actions = useMemo(
    () => ({
      load: (loaded: CanvasGraph) => {
        setHistory(initHistory(loaded));
        setSavedGraph(loaded);
      },
      restore: (restored: CanvasGraph) => apply(() => restored, true),
      onNodesChange: (changes: NodeChange<CanvasNode>[]) =>
        apply((g) => ({ ...g, nodes: applyNodeChanges(changes, g.nodes) }), false),
      onEdgesChange: (changes: EdgeChange[]) =>
        apply((g) => ({ ...g, edges: applyEdgeChanges(changes, g.edges) }), false),
      onConnect: (connection: Connection) =>
        apply((g) => ({ ...g, edges: addEdge({ ...connection, id: newId('e') }, g.edges) }), true),
      onReconnect: (oldEdge: CanvasEdge, connection: Connection) =>
        apply((g) => ({ ...g, edges: reconnectEdge(oldEdge, connection, g.edges) }), true),
      connectOutcome: (source: string, handle: string, target: string | null) =>
        apply((g) => {
          const kept = g.edges.filter(
            (edge) => !(edge.source === source && (edge.sourceHandle ?? 'out') === handle),
          );
          const added =
            target === null
              ? []
              : [{ id: newId('e'), source, sourceHandle: handle, target, targetHandle: 'in' }];
          return { ...g, edges: [...kept, ...added] };
        }, true),
      // A drag or a keyboard delete arrives as many changes; the step is taken once, before.
      beginAction: () => setHistory((current) => record(current)),
      updateData: (nodeId: string, field: string, data: JourneyNodeData) =>
        setHistory((current) => {
          const recorded = record(current, `${nodeId}:${field}`);
          const nodes = recorded.present.nodes.map((node) =>
            node.id === nodeId ? { ...node, data } : node,
          );
          return replace(recorded, { ...recorded.present, nodes });
        }),
      selectOnly: (nodeId: string) =>
        apply(
          (g) => ({
            ...g,
            nodes: g.nodes.map((node) => withSelected(node, node.id === nodeId)),
          }),
          false,
        ),
      selectAll: () =>
        apply((g) => ({ ...g, nodes: g.nodes.map((node) => withSelected(node, true)) }), false),
      deleteSelection: () => apply(deleteSelected, true),
      copy: () => {
        setHistory((current) => {
          clip.current = copySelection(current.present);
          pasteCount.current = 0;
          return current;
        });
      },
      paste: () => {
        const copied = clip.current;
        if (copied === null || copied.nodes.length === 0) {
          return;
        }
        pasteCount.current += 1;
        const shift = 40 * pasteCount.current;
        apply((g) => pasteClip(g, copied, { x: shift, y: shift }), true);
      },
      layout: () => apply((g) => ({ ...g, nodes: layoutGraph(g) }), true),
      undo: () => setHistory(undo),
      redo: () => setHistory(redo),
    }),
    [apply],
  );

  const addNode = useCallback(
    (type: NodeType, position: XYPosition): string => {
      const id = newId('n');
      const node = {
        id,
        type,
        position,
        data: defaultDataFor(type),
        selected: true,
      } as CanvasNode;
      apply((g) => ({ ...g, nodes: [...g.nodes.map((n) => withSelected(n, false)), node] }), true);
      return id;
    },
    [apply],
  );

  const isDirty = savedGraph === null ? graph.nodes.length > 0 : !isSameContent(savedGraph, graph);
  return {
    ...actions,
    graph,
    addNode,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    isDirty,
    markSaved: () => setSavedGraph(graph),
  };
}

function withSelected(node: CanvasNode, selected: boolean): CanvasNode {
  return node.selected === selected ? node : { ...node, selected };
}

function deleteSelected(graph: CanvasGraph): CanvasGraph {
  const removed = new Set(graph.nodes.filter((node) => node.selected).map((node) => node.id));
  return {
    nodes: graph.nodes.filter((node) => !removed.has(node.id)),
    edges: graph.edges.filter(
      (edge) => !edge.selected && !removed.has(edge.source) && !removed.has(edge.target),
    ),
  };
}

// Selection and measured sizes are not content: only ids, places, data and edges count.
function isSameContent(a: CanvasGraph, b: CanvasGraph): boolean {
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) {
    return false;
  }
  const nodesSame = a.nodes.every((node, i) => {
    const other = b.nodes[i];
    return (
      other !== undefined &&
      other.id === node.id &&
      other.data === node.data &&
      other.position.x === node.position.x &&
      other.position.y === node.position.y
    );
  });
  const edgesSame = a.edges.every((edge, i) => {
    const other = b.edges[i];
    return (
      other?.id === edge.id &&
      other.source === edge.source &&
      other.target === edge.target &&
      other.sourceHandle === edge.sourceHandle
    );
  });
  return nodesSame && edgesSame;
}
