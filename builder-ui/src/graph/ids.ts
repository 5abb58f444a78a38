/**
 * A fresh id for a node or edge, within the journey format's id rule (1–64 of `A-Za-z0-9_-`).
 * Random rather than counted, so pasted and imported nodes never collide with existing ones.
 */
export function newId(prefix: 'n' | 'e'): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
