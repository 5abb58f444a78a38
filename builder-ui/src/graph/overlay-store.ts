import { isSameCounts, type NodeCounts } from './run-counts.js';

/** What the canvas shows on one node beside its own data. */
export interface NodeOverlay {
  /** Validation messages about this node. */
  problems: readonly string[];
  /** Whether the last simulation passed through it. */
  isOnPath: boolean;
  /** Counts from the published version's real runs; null when none are shown. */
  counts: NodeCounts | null;
}

const EMPTY: NodeOverlay = { problems: [], isOnPath: false, counts: null };

/**
 * Problems, the simulated path and run counts per node, outside React state: each node
 * subscribes to its own entry, so new validation results or a refreshed report re-render only
 * the nodes whose entry changed (React Flow's guidance: no whole-array reads inside nodes).
 */
export interface OverlayStore {
  get: (nodeId: string) => NodeOverlay;
  subscribe: (listener: () => void) => () => void;
  setProblems: (byNode: ReadonlyMap<string, readonly string[]>) => void;
  setPath: (nodeIds: ReadonlySet<string>) => void;
  /** Run counts per node; an empty map hides them all. */
  setCounts: (byNode: ReadonlyMap<string, NodeCounts>) => void;
}

/** A store with no problems and no path. */
export function createOverlayStore(): OverlayStore {
  let entries = new Map<string, NodeOverlay>();
  let problems: ReadonlyMap<string, readonly string[]> = new Map();
  let path: ReadonlySet<string> = new Set();
  let counts: ReadonlyMap<string, NodeCounts> = new Map();
  const listeners = new Set<() => void>();

  const rebuild = (): void => {
    const next = new Map<string, NodeOverlay>();
    for (const id of new Set([...problems.keys(), ...path, ...counts.keys()])) {
      const entry = {
        problems: problems.get(id) ?? [],
        isOnPath: path.has(id),
        counts: counts.get(id) ?? null,
      };
      const old = entries.get(id);
      // Keeping the old object when nothing changed is what lets unchanged nodes skip rendering.
      next.set(id, old !== undefined && isSame(old, entry) ? old : entry);
    }
    entries = next;
    for (const listener of listeners) {
      listener();
    }
  };

  return {
    get: (nodeId) => entries.get(nodeId) ?? EMPTY,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setProblems: (byNode) => {
      problems = byNode;
      rebuild();
    },
    setPath: (nodeIds) => {
      path = nodeIds;
      rebuild();
    },
    setCounts: (byNode) => {
      counts = byNode;
      rebuild();
    },
  };
}

function isSame(a: NodeOverlay, b: NodeOverlay): boolean {
  return (
    a.isOnPath === b.isOnPath &&
    isSameCounts(a.counts, b.counts) &&
    a.problems.length === b.problems.length &&
    a.problems.every((problem, index) => problem === b.problems[index])
  );
}
