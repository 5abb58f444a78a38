/**
 * JSON with object keys sorted at every depth, so equal values always give equal text.
 *
 * Hashes of plans and of resources are taken over this form: `JSON.stringify` alone keeps
 * insertion order, which differs between a document and its round trip through a database.
 * `undefined` members are dropped, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) {
      sorted[key] = sortKeys(member);
    }
  }
  return sorted;
}
