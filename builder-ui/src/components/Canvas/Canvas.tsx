import { Background, Controls, type Edge, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { type DragEvent, type JSX, useCallback, useEffect, useMemo, useRef } from 'react';
import { NODE_TYPES, type NodeType } from '../../../../engine/journey/nodes.schema.js';
import type { CanvasNode } from '../../graph/graph.types.js';
import type { Editor } from '../../hooks/useEditor.js';
import { nodeTypes } from '../JourneyNode/node-types.js';
import { PALETTE_MIME } from '../Palette/Palette.js';
import { type ShortcutAction, shortcutOf } from './shortcuts.js';

const DELETE_KEYS = ['Backspace', 'Delete'];

function onDragOver(event: DragEvent): void {
  event.preventDefault();
  event.dataTransfer.dropEffect = 'move';
}
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];

interface CanvasProps {
  editor: Editor;
  invalidEdgeIds: ReadonlySet<string>;
  pathEdgeIds: ReadonlySet<string>;
  onSave: () => void;
  onLayout: () => void;
}

/** The React Flow canvas: nodes, edges, minimap, zoom controls, shortcuts and drop target. */
export function Canvas(props: CanvasProps): JSX.Element {
  const { editor, invalidEdgeIds, pathEdgeIds, onSave, onLayout } = props;
  const flow = useReactFlow<CanvasNode, Edge>();
  const { graph } = editor;

  // Marks live in the edges' class names, derived here so undo never stores them.
  const edges = useMemo(
    () =>
      invalidEdgeIds.size === 0 && pathEdgeIds.size === 0
        ? graph.edges
        : graph.edges.map((edge) => {
            const className = [
              invalidEdgeIds.has(edge.id) ? 'edge--invalid' : '',
              pathEdgeIds.has(edge.id) ? 'edge--on-path' : '',
            ].join(' ');
            return className.trim() === '' ? edge : { ...edge, className };
          }),
    [graph.edges, invalidEdgeIds, pathEdgeIds],
  );

  const run = useCallback(
    (action: ShortcutAction) => {
      const handlers: Record<ShortcutAction, () => void> = {
        undo: editor.undo,
        redo: editor.redo,
        copy: editor.copy,
        paste: editor.paste,
        selectAll: editor.selectAll,
        layout: onLayout,
        fitView: () => void flow.fitView(),
        save: onSave,
      };
      handlers[action]();
    },
    [editor, flow, onSave, onLayout],
  );

  // Shortcuts are heard on the window, for keys pressed on the canvas or with nothing focused
  // (after a delete, the focused node is gone and focus falls back to the page).
  const region = useRef<HTMLElement>(null);
  // The listener stays put across renders (a drag renders every frame) and calls the latest run.
  const latestRun = useRef(run);
  latestRun.current = run;
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const target = event.target as Node | null;
      const isOurs = target === document.body || region.current?.contains(target) === true;
      const action = isOurs ? shortcutOf(event) : null;
      if (action !== null) {
        event.preventDefault();
        latestRun.current(action);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  // Every prop handed to React Flow keeps its identity across renders: a new function or
  // object per render would make React Flow update its store on every drag frame.
  const { addNode, beginAction } = editor;
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!(type in NODE_TYPES)) {
        return;
      }
      event.preventDefault();
      addNode(type as NodeType, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [addNode, flow],
  );
  const onBeforeDelete = useCallback(async () => {
    beginAction();
    return true;
  }, [beginAction]);

  return (
    <section className="canvas" aria-label="Journey canvas" ref={region}>
      <ReactFlow<CanvasNode, Edge>
        nodes={graph.nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.onConnect}
        onReconnect={editor.onReconnect}
        onNodeDragStart={editor.beginAction}
        onSelectionDragStart={editor.beginAction}
        onBeforeDelete={onBeforeDelete}
        onDrop={onDrop}
        onDragOver={onDragOver}
        deleteKeyCode={DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        fitView
        minZoom={0.05}
      >
        <Background />
        <MiniMap pannable zoomable ariaLabel="Journey overview" />
        <Controls />
      </ReactFlow>
    </section>
  );
}
