/** What the canvas shows on one node beside its own data. */
export interface NodeOverlay {
  /** Validation messages about this node. */
  problems: readonly string[];
  /** Whether the last simulation passed through it. */
  isOnPath: boolean;
}

const EMPTY: NodeOverlay = { problems: [], isOnPath: false };

/**
 * Problems and the simulated path per node, outside React state: each node subscribes to its
 * own entry, so new validation results re-render only the nodes whose entry changed (React
 * Flow's guidance: no whole-array reads inside nodes).
 */
export interface OverlayStore {
  get: (nodeId: string) => NodeOverlay;
  subscribe: (listener: () => void) => () => void;
  setProblems: (byNode: ReadonlyMap<string, readonly string[]>) => void;
  setPath: (nodeIds: ReadonlySet<string>) => void;
}

/** A store with no problems and no path. */
export function createOverlayStore(): OverlayStore {
  let entries = new Map<string, NodeOverlay>();
  let problems: ReadonlyMap<string, readonly string[]> = new Map();
  let path: ReadonlySet<string> = new Set();
  const listeners = new Set<() => void>();

  const rebuild = (): void => {
    const next = new Map<string, NodeOverlay>();
    for (const id of new Set([...problems.keys(), ...path])) {
      const entry = { problems: problems.get(id) ?? [], isOnPath: path.has(id) };
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
  };
}

function isSame(a: NodeOverlay, b: NodeOverlay): boolean {
  return (
    a.isOnPath === b.isOnPath &&
    a.problems.length === b.problems.length &&
    a.problems.every((problem, index) => problem === b.problems[index])
  );
}
