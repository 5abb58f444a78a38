/**
 * Undo and redo over whole user actions. The live graph is `present`; an action that happens in
 * one go (add, delete a node with its edges, paste, layout) is `commit`ted, and one that happens
 * over many events (a drag, typing in a field) is `record`ed once when it starts and then
 * `replace`s the present as it goes, so undo takes it back in one step.
 */
export interface History<TState> {
  past: TState[];
  present: TState;
  future: TState[];
  /** The key of the last `record`: a second record with the same key adds no step. */
  lastKey: string | null;
}

// Enough for an afternoon of edits; each step is a snapshot whose nodes are shared, not copied.
const LIMIT = 200;

/** A history with nothing to undo. */
export function initHistory<TState>(present: TState): History<TState> {
  return { past: [], present, future: [], lastKey: null };
}

/**
 * Marks the start of an action: the present becomes an undo step.
 *
 * @param key - actions with the same key in a row (typing in one field) are one step
 */
export function record<TState>(history: History<TState>, key?: string): History<TState> {
  if (key !== undefined && key === history.lastKey) {
    return history;
  }
  const past = [...history.past, history.present].slice(-LIMIT);
  return { past, present: history.present, future: [], lastKey: key ?? null };
}

/** Replaces the present without adding a step (moves inside an action, selection). */
export function replace<TState>(history: History<TState>, present: TState): History<TState> {
  return { ...history, present };
}

/** One action in one go: an undo step, then its result. */
export function commit<TState>(history: History<TState>, present: TState): History<TState> {
  return replace(record(history), present);
}

/** Goes back one step; nothing happens when there is none. */
export function undo<TState>(history: History<TState>): History<TState> {
  const previous = history.past.at(-1);
  if (previous === undefined) {
    return history;
  }
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    lastKey: null,
  };
}

/** Goes forward one undone step; nothing happens when there is none. */
export function redo<TState>(history: History<TState>): History<TState> {
  const [next, ...rest] = history.future;
  if (next === undefined) {
    return history;
  }
  return {
    past: [...history.past, history.present],
    present: next,
    future: rest,
    lastKey: null,
  };
}
