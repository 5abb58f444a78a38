import { useEffect, useState } from 'react';
import { api, type VersionReport } from '../api/client.js';
import type { OverlayStore } from '../graph/overlay-store.js';
import { countsByNode, type NodeCounts } from '../graph/run-counts.js';

/** How often the counts are read again while the page is visible. */
export const RUN_COUNTS_INTERVAL_MS = 10_000;

const NO_COUNTS: ReadonlyMap<string, NodeCounts> = new Map();

/** What `useRunCounts` reads, and how often. */
export interface RunCountsOptions {
  /** The published version; null when the journey has none (nothing is read). */
  versionId: string | null;
  /** The toggle: false hides the counts and stops reading. */
  isShown: boolean;
  store: OverlayStore;
  load?: (versionId: string) => Promise<VersionReport>;
  intervalMs?: number;
}

/**
 * Keeps the overlay's run counts for a published version fresh: read now, then every
 * `intervalMs` while the page is visible. A hidden tab asks nothing (a builder left open all
 * night must not poll the database all night) and reads again as soon as it is shown. The
 * next read is scheduled after the previous one answered, so a slow server never gets a queue
 * of them. Returns the last refusal's words, or null.
 */
export function useRunCounts({
  versionId,
  isShown,
  store,
  load = api.versionReport,
  intervalMs = RUN_COUNTS_INTERVAL_MS,
}: RunCountsOptions): string | null {
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (versionId === null || !isShown) {
      setError(null);
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let stopped = false;
    const isHidden = () => document.visibilityState === 'hidden';

    const refresh = async (): Promise<void> => {
      timer = undefined;
      inFlight = true;
      try {
        const report = await load(versionId);
        if (!stopped) {
          store.setCounts(countsByNode(report));
          setError(null);
        }
      } catch (caught) {
        // The last counts stay on the nodes; the toggle says they could not be refreshed.
        if (!stopped) {
          setError(caught instanceof Error ? caught.message : String(caught));
        }
      } finally {
        inFlight = false;
      }
      if (!stopped && !isHidden()) {
        timer = setTimeout(() => void refresh(), intervalMs);
      }
    };

    const onVisibility = () => {
      if (isHidden()) {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined && !inFlight) {
        void refresh();
      }
    };

    document.addEventListener('visibilitychange', onVisibility);
    if (!isHidden()) {
      void refresh();
    }
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      // Counts of another version (or hidden ones) must not linger on the nodes.
      store.setCounts(NO_COUNTS);
    };
  }, [versionId, isShown, store, load, intervalMs]);

  return error;
}
