import { useReactFlow } from '@xyflow/react';
import {
  type JSX,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { JourneyDocument } from '../../../../engine/journey/journey.schema.js';
import type { NodeType } from '../../../../engine/journey/nodes.schema.js';
import { api, type JourneySummary } from '../../api/client.js';
import { useCan } from '../../auth/session-context.js';
import type { CanvasGraph, CanvasNode } from '../../graph/graph.types.js';
import { toCanvas, toDocument } from '../../graph/journey-document.js';
import { createOverlayStore } from '../../graph/overlay-store.js';
import type { SimulationView } from '../../graph/simulation.js';
import { useEditor } from '../../hooks/useEditor.js';
import { useRunCounts } from '../../hooks/useRunCounts.js';
import { Canvas } from '../Canvas/Canvas.js';
import { Inspector } from '../Inspector/Inspector.js';
import { summariseChanges } from '../JourneyList/change-summary.js';
import { OverlayContext } from '../JourneyNode/overlay-context.js';
import { Palette } from '../Palette/Palette.js';
import { ProblemList } from '../ProblemList/ProblemList.js';
import { SimulatorPanel } from '../Simulator/SimulatorPanel.js';
import { PublishDialog } from './PublishDialog.js';
import { useJourneyValidation } from './useJourneyValidation.js';
import { VersionList } from './VersionList.js';

const NO_IDS: ReadonlySet<string> = new Set();
const NO_PROBLEMS: readonly string[] = [];
const NO_GRAPH: CanvasGraph = { nodes: [], edges: [] };

/** The builder for one journey: palette, canvas, inspector, problems, simulator, publishing. */
export function EditorPage(props: {
  journeyId: string | null;
  /** A document to open instead of loading one (a new journey from a file, the benchmark). */
  initial?: JourneyDocument;
  onSaved: (id: string) => void;
  onClose: () => void;
}): JSX.Element {
  // Hidden, not guarded: the server refuses a role's missing permission on its own. Known
  // shortcoming: without `edit` the canvas, palette and inspector still change the local copy
  // (nothing can be saved); a read-only canvas is not built.
  const mayEdit = useCan('edit');
  const mayPublish = useCan('publish');
  const editor = useEditor();
  const flow = useReactFlow();
  const overlay = useMemo(() => createOverlayStore(), []);
  const [meta, setMeta] = useState({ name: 'Untitled journey', description: '' });
  const [summary, setSummary] = useState<JourneySummary | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [simulation, setSimulation] = useState<SimulationView | null>(null);
  const [changes, setChanges] = useState<string[] | null>(null);
  const [versionsSeen, setVersionsSeen] = useState(0);
  const [showCounts, setShowCounts] = useState(true);
  // Any signed-in role may read reports (server/auth/route-access.ts), so no ability check.
  // Known shortcoming: the counts are the published version's, shown on the draft's nodes by
  // id; a node added or re-made since publishing shows none, and older versions' counts have
  // no picker (the report route serves them, the UI does not ask).
  const publishedVersionId = summary?.publishedVersion?.id ?? null;
  const countsError = useRunCounts({
    versionId: publishedVersionId,
    isShown: showCounts,
    store: overlay,
  });
  // Validation runs on a deferred copy of the graph: the canvas paints first (a big journey
  // opens sooner, a drag frame never waits for the validator) and the problems follow.
  const deferredGraph = useDeferredValue(editor.graph);
  const structure = useJourneyValidation(meta, deferredGraph);
  const { validation } = structure;
  // Save, publish and simulate read the graph when asked, not on every drag frame.
  const latest = useRef({ meta, graph: editor.graph });
  latest.current = { meta, graph: editor.graph };
  const getDocument = useCallback(() => toDocument(latest.current.meta, latest.current.graph), []);
  const { load } = editor;
  // The id a new journey got when first saved: the editor already holds it, so no reload.
  const savedId = useRef<string | null>(null);

  const { initial } = props;
  useEffect(() => {
    if (initial !== undefined) {
      load(toCanvas(initial));
      setMeta({ name: initial.name, description: initial.description });
    }
  }, [initial, load]);

  useEffect(() => {
    if (props.journeyId === null || props.journeyId === savedId.current) {
      return;
    }
    api.getJourney(props.journeyId).then(
      (detail) => {
        load(toCanvas(detail.draft));
        setMeta({ name: detail.draft.name, description: detail.draft.description });
        setSummary(detail);
      },
      (error: unknown) => setMessage(`Could not open the journey: ${String(error)}`),
    );
  }, [props.journeyId, load]);

  useEffect(() => overlay.setProblems(validation.byNode), [overlay, validation]);
  useEffect(() => overlay.setPath(simulation?.pathNodeIds ?? NO_IDS), [overlay, simulation]);
  useUnsavedGuard(editor.isDirty);

  const inspected = useInspectedNode(editor.graph, structure.graph);
  const eventType = triggerEventType(editor.graph);
  const hasErrors = validation.issues.length > 0;

  const save = useCallback(async (): Promise<string | null> => {
    const document = getDocument();
    try {
      const saved =
        props.journeyId === null
          ? await api.createJourney(document)
          : await api.saveJourney(props.journeyId, document);
      editor.markSaved();
      savedId.current = saved.id;
      setSummary(saved);
      setMessage('Draft saved.');
      props.onSaved(saved.id);
      return saved.id;
    } catch (error) {
      setMessage(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }, [getDocument, editor, props]);

  const askPublish = async () => {
    const published = summary?.publishedVersion ?? null;
    const previous =
      published === null || props.journeyId === null
        ? null
        : (await api.version(props.journeyId, published.version)).graph;
    setChanges(summariseChanges(previous, getDocument()));
  };

  const publish = async () => {
    setChanges(null);
    const id = await save();
    if (id === null) {
      return;
    }
    try {
      const result = await api.publish(id);
      setMessage(`Published version ${result.version.version}.`);
      setSummary(await api.getJourney(id));
      setVersionsSeen((n) => n + 1);
    } catch (error) {
      setMessage(`Not published: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  // Restoring is one undoable step on the canvas; nothing is saved until the designer saves.
  const restoreVersion = async (version: number) => {
    if (props.journeyId === null) {
      return;
    }
    const found = await api.version(props.journeyId, version);
    editor.restore(toCanvas(found.graph));
    setMeta({ name: found.graph.name, description: found.graph.description });
    setMessage(`Version ${version} restored into the draft; save to keep it, or undo.`);
  };

  const unpublish = async () => {
    if (props.journeyId === null) {
      return;
    }
    await api.unpublish(props.journeyId);
    setSummary(await api.getJourney(props.journeyId));
    setMessage('Unpublished: no new runs start; runs in flight go on.');
  };

  const { selectOnly, addNode } = editor;
  const focusNode = useCallback(
    (nodeId: string) => {
      selectOnly(nodeId);
      void flow.fitView({ nodes: [{ id: nodeId }], duration: 200, maxZoom: 1.2 });
      window.document.querySelector<HTMLElement>(`.react-flow__node[data-id="${nodeId}"]`)?.focus();
    },
    [flow, selectOnly],
  );

  const layout = () => {
    editor.layout();
    // The new positions reach React Flow on the next render; fit the view after it.
    window.setTimeout(() => void flow.fitView({ duration: 200 }), 50);
  };

  const addFromPalette = useCallback(
    (type: NodeType) => {
      const centre = flow.screenToFlowPosition({
        x: window.innerWidth / 2,
        y: window.innerHeight / 2,
      });
      const jitter = (latest.current.graph.nodes.length % 5) * 30;
      addNode(type, { x: centre.x - 120 + jitter, y: centre.y - 45 + jitter });
    },
    [flow, addNode],
  );

  return (
    <OverlayContext.Provider value={overlay}>
      <div className="editor">
        <header className="editor__bar">
          <button
            type="button"
            onClick={() => {
              if (!editor.isDirty || window.confirm('Leave without saving your changes?')) {
                props.onClose();
              }
            }}
          >
            ← Journeys
          </button>
          <label className="editor__name">
            Name
            <input
              value={meta.name}
              onChange={(event) => setMeta({ ...meta, name: event.target.value })}
            />
          </label>
          <span className="status" data-testid="journey-status">
            {summary?.status ?? 'new'}
            {summary?.publishedVersion ? ` v${summary.publishedVersion.version}` : ''}
            {editor.isDirty ? ' · unsaved changes' : ''}
          </span>
          {publishedVersionId !== null ? (
            <label title={countsError ?? undefined}>
              <input
                type="checkbox"
                checked={showCounts}
                onChange={(event) => setShowCounts(event.target.checked)}
                data-testid="show-counts"
              />
              Run counts{countsError !== null ? ' (not refreshed)' : ''}
            </label>
          ) : null}
          <button type="button" onClick={editor.undo} disabled={!editor.canUndo}>
            Undo
          </button>
          <button type="button" onClick={editor.redo} disabled={!editor.canRedo}>
            Redo
          </button>
          <button type="button" onClick={layout} data-testid="layout">
            Auto-layout
          </button>
          {mayEdit ? (
            <button type="button" onClick={() => void save()} data-testid="save">
              Save draft
            </button>
          ) : null}
          {mayPublish ? (
            <>
              <button
                type="button"
                onClick={() => void askPublish()}
                disabled={hasErrors}
                title={hasErrors ? 'Fix every problem before publishing' : undefined}
                data-testid="publish"
              >
                Publish…
              </button>
              <button
                type="button"
                onClick={() => void unpublish()}
                disabled={summary?.status !== 'published'}
              >
                Unpublish
              </button>
            </>
          ) : null}
          {props.journeyId !== null ? (
            <a className="button" href={api.exportUrl(props.journeyId)} download>
              Export JSON
            </a>
          ) : null}
        </header>
        {message !== null ? (
          <p className="editor__message" role="status" data-testid="message">
            {message}
          </p>
        ) : null}
        <Palette onAdd={addFromPalette} />
        <Canvas
          editor={editor}
          invalidEdgeIds={validation.edgeIds}
          pathEdgeIds={simulation?.pathEdgeIds ?? NO_IDS}
          onSave={() => void save()}
          onLayout={layout}
        />
        <aside className="editor__side">
          <Inspector
            node={inspected}
            eventType={eventType}
            problems={(inspected && validation.byNode.get(inspected.id)) || NO_PROBLEMS}
            onChange={editor.updateData}
            graph={inspected === null ? NO_GRAPH : structure.graph}
            onConnect={editor.connectOutcome}
          />
          <ProblemList issues={validation.issues} onFocus={focusNode} />
          <SimulatorPanel
            getDocument={getDocument}
            canSimulate={!hasErrors}
            onResult={setSimulation}
          />
          {props.journeyId !== null ? (
            <VersionList
              journeyId={props.journeyId}
              refresh={versionsSeen}
              onRestore={(version) => void restoreVersion(version)}
            />
          ) : null}
        </aside>
        {changes !== null ? (
          <PublishDialog
            changes={changes}
            onConfirm={() => void publish()}
            onCancel={() => setChanges(null)}
          />
        ) : null}
      </div>
    </OverlayContext.Provider>
  );
}

// The one selected node, taken from the structural graph so that dragging it (which changes
// only its position) does not hand the memoised inspector a new object on every frame.
function useInspectedNode(live: CanvasGraph, structural: CanvasGraph): CanvasNode | null {
  const selected = live.nodes.filter((node) => node.selected === true);
  const only = selected.length === 1 ? selected[0] : undefined;
  const id = only?.id;
  const data = only?.data;
  return useMemo(() => {
    if (id === undefined) {
      return null;
    }
    const node = structural.nodes.find((candidate) => candidate.id === id);
    return node !== undefined && node.data === data ? node : (only ?? null);
  }, [id, data, structural, only]);
}

function triggerEventType(graph: { nodes: ReadonlyArray<{ type: string; data: unknown }> }) {
  const trigger = graph.nodes.find((node) => node.type === 'trigger.event');
  return (trigger?.data as { eventType?: string } | undefined)?.eventType;
}

function useUnsavedGuard(isDirty: boolean): void {
  useEffect(() => {
    if (!isDirty) {
      return undefined;
    }
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);
}
