import type { Connection } from '@temporalio/client';
// The package is CommonJS: its namespace is only reachable through the default export here.
import proto from '@temporalio/proto';
import { RUN_SEARCH_ATTRIBUTES } from '../../workflows/run-search-attributes.js';

const INDEXED_TYPE = {
  KEYWORD: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
} as const;

/** `--search-attribute` flags that register Pathwell's search attributes on a dev server. */
export function devServerSearchAttributeFlags(): string[] {
  return RUN_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}

/**
 * Registers Pathwell's search attributes in the namespace when they are missing. A run started
 * or a workflow task that sets an unregistered attribute fails, so the server does this before
 * it starts runs. Registering needs the operator service; a cluster that refuses it must have
 * them registered by its administrator (`temporal operator search-attribute create`).
 *
 * @returns the names it added
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = RUN_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) {
    return [];
  }
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPE[key.type]])),
  });
  return missing.map((key) => key.name);
}
