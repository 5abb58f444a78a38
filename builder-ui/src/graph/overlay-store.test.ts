import { describe, expect, it } from 'vitest';
import { createOverlayStore } from './overlay-store.js';

describe('createOverlayStore', () => {
  it('keeps the same entry object for a node whose problems did not change', () => {
    const store = createOverlayStore();
    store.setProblems(
      new Map([
        ['a', ['one']],
        ['b', ['two']],
      ]),
    );
    const a = store.get('a');
    const b = store.get('b');

    store.setProblems(
      new Map([
        ['a', ['one']],
        ['b', ['three']],
      ]),
    );

    expect(store.get('a')).toBe(a);
    expect(store.get('b')).not.toBe(b);
    expect(store.get('b').problems).toEqual(['three']);
  });

  it('combines problems and the simulated path, and tells subscribers', () => {
    const store = createOverlayStore();
    let calls = 0;
    const stop = store.subscribe(() => {
      calls += 1;
    });

    store.setPath(new Set(['a']));
    store.setProblems(new Map([['a', ['x']]]));
    stop();
    store.setPath(new Set());

    expect(calls).toBe(2);
    expect(store.get('a')).toEqual({ problems: ['x'], isOnPath: false, counts: null });
    expect(store.get('zzz')).toEqual({ problems: [], isOnPath: false, counts: null });
  });

  it('keeps the entry of a node whose run counts did not change', () => {
    const store = createOverlayStore();
    const counts = (sent: number) => ({
      entered: 2,
      sent,
      blocked: 1,
      blockedByReason: { no_consent: 1 },
    });
    store.setCounts(
      new Map([
        ['a', counts(1)],
        ['b', counts(1)],
      ]),
    );
    const a = store.get('a');
    const b = store.get('b');

    // A refresh builds new objects with the same figures for `a`, a new figure for `b`.
    store.setCounts(
      new Map([
        ['a', counts(1)],
        ['b', counts(2)],
      ]),
    );

    expect(store.get('a')).toBe(a);
    expect(store.get('b')).not.toBe(b);
    expect(store.get('b').counts?.sent).toBe(2);
    store.setCounts(new Map());
    expect(store.get('a').counts).toBeNull();
  });
});
