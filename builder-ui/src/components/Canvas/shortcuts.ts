/** What a key press on the canvas asks for. */
export type ShortcutAction =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'layout'
  | 'fitView'
  | 'save';

/** The shortcut a key event is, if any; ignores keys typed into form fields. */
export function shortcutOf(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  target: EventTarget | null;
}): ShortcutAction | null {
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (target?.tagName === 'INPUT' || target?.tagName === 'TEXTAREA' || target?.isContentEditable) {
    return null;
  }
  const key = event.key.toLowerCase();
  if (event.ctrlKey || event.metaKey) {
    const withMod: Record<string, ShortcutAction> = {
      z: event.shiftKey ? 'redo' : 'undo',
      y: 'redo',
      c: 'copy',
      v: 'paste',
      a: 'selectAll',
      s: 'save',
    };
    return withMod[key] ?? null;
  }
  if (event.shiftKey && key === 'l') {
    return 'layout';
  }
  if (event.shiftKey && key === 'f') {
    return 'fitView';
  }
  return null;
}
