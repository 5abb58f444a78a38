import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import {
  createOverlayStore,
  type NodeOverlay,
  type OverlayStore,
} from '../../graph/overlay-store.js';

/** The overlay store the canvas's nodes read their problems and path from. */
export const OverlayContext = createContext<OverlayStore>(createOverlayStore());

/** One node's overlay; re-renders only when that node's entry changes. */
export function useNodeOverlay(nodeId: string): NodeOverlay {
  const store = useContext(OverlayContext);
  const get = useCallback(() => store.get(nodeId), [store, nodeId]);
  return useSyncExternalStore(store.subscribe, get, get);
}
