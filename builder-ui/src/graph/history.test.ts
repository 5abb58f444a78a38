import { describe, expect, it } from 'vitest';
import { commit, initHistory, record, redo, replace, undo } from './history.js';

describe('history', () => {
  it('undoes and redoes committed actions one at a time', () => {
    let h = initHistory('a');
    h = commit(h, 'b');
    h = commit(h, 'c');

    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    h = redo(h);

    expect(h.present).toBe('b');
    expect(h.future).toEqual(['c']);
  });

  it('takes back a recorded action with many replaces in one step', () => {
    let h = initHistory({ x: 0 });
    h = record(h);
    for (let x = 1; x <= 10; x += 1) {
      h = replace(h, { x });
    }

    h = undo(h);

    expect(h.present).toEqual({ x: 0 });
    expect(h.past).toHaveLength(0);
  });

  it('adds one step for records with the same key in a row', () => {
    let h = initHistory('');
    for (const text of ['H', 'He', 'Hel']) {
      h = replace(record(h, 'node-1:subject'), text);
    }
    h = replace(record(h, 'node-1:text'), 'body');

    expect(h.past).toEqual(['', 'Hel']);
    expect(undo(undo(h)).present).toBe('');
  });

  it('drops the redo branch when a new action is taken after an undo', () => {
    const h = commit(undo(commit(initHistory(1), 2)), 3);

    expect(h.present).toBe(3);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('changes nothing when there is nothing to undo', () => {
    const h = initHistory('only');

    expect(undo(h)).toBe(h);
  });
});
