import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type VersionReport } from '../api/client.js';
import { createOverlayStore } from '../graph/overlay-store.js';
import { useRunCounts } from './useRunCounts.js';

function report(sent: number): VersionReport {
  const node = {
    nodeId: 'mail',
    kind: 'send.email',
    entered: sent,
    passed: sent,
    blocked: 0,
    blockedByReason: {},
    sentByMethod: { tls: sent },
    accepted: sent,
    bounced: 0,
    unsubscribed: 0,
  };
  return { versionId: 'v1', runs: sent, nodes: [node] };
}

let visibility: DocumentVisibilityState = 'visible';

function setVisibility(state: DocumentVisibilityState): void {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

// Lets the awaited load and what follows it run, without moving the clock.
async function settle(): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
}

describe('useRunCounts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    visibility = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('reads at once, then every interval, and puts the counts on the overlay', async () => {
    const store = createOverlayStore();
    let sent = 1;
    const load = vi.fn(async () => report(sent));
    renderHook(() =>
      useRunCounts({ versionId: 'v1', isShown: true, store, load, intervalMs: 10_000 }),
    );
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith('v1');
    expect(store.get('mail').counts).toEqual({
      entered: 1,
      sent: 1,
      blocked: 0,
      blockedByReason: {},
    });

    sent = 2;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(9_999);
    });
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(load).toHaveBeenCalledTimes(2);
    expect(store.get('mail').counts?.sent).toBe(2);
  });

  it('stops while the page is hidden and reads again when it is shown', async () => {
    const store = createOverlayStore();
    const load = vi.fn(async () => report(1));
    renderHook(() =>
      useRunCounts({ versionId: 'v1', isShown: true, store, load, intervalMs: 10_000 }),
    );
    await settle();

    act(() => setVisibility('hidden'));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(load).toHaveBeenCalledTimes(1);

    act(() => setVisibility('visible'));
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('asks nothing and clears the counts when hidden by the toggle or without a version', async () => {
    const store = createOverlayStore();
    const load = vi.fn(async () => report(1));
    const { rerender } = renderHook<string | null, { versionId: string | null; isShown: boolean }>(
      (props) => useRunCounts({ ...props, store, load, intervalMs: 10_000 }),
      { initialProps: { versionId: 'v1', isShown: true } },
    );
    await settle();
    expect(store.get('mail').counts).not.toBeNull();

    rerender({ versionId: 'v1', isShown: false });
    expect(store.get('mail').counts).toBeNull();
    rerender({ versionId: null, isShown: true });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps the last counts and says so when a refresh is refused, then goes on', async () => {
    const store = createOverlayStore();
    const load = vi
      .fn<(versionId: string) => Promise<VersionReport>>()
      .mockResolvedValueOnce(report(1))
      .mockRejectedValueOnce(new ApiError(503, 'unavailable', 'The database is not answering.'))
      .mockResolvedValue(report(3));
    const { result } = renderHook(() =>
      useRunCounts({ versionId: 'v1', isShown: true, store, load, intervalMs: 10_000 }),
    );
    await settle();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(result.current).toBe('The database is not answering.');
    expect(store.get('mail').counts?.sent).toBe(1);

    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(result.current).toBeNull();
    expect(store.get('mail').counts?.sent).toBe(3);
  });
});
