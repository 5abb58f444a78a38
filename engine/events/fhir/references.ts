import type { FhirResource } from 'fhir/r4.js';

/** The resources of one Bundle, findable the ways a FHIR reference can point at them. */
export interface BundleIndex {
  byFullUrl: Map<string, FhirResource>;
  byTypeAndId: Map<string, FhirResource>;
}

/** Where a reference leads. */
export type ResolvedReference =
  /** To a resource in the same Bundle, or contained in the referring resource. */
  | { found: 'bundle'; resource: FhirResource }
  /** To a resource outside the Bundle, known by type and id (the directory may have it). */
  | { found: 'elsewhere'; resourceType: string; id: string }
  /** Nowhere Pathwell can follow: a logical reference or a urn that the Bundle lacks. */
  | { found: 'unresolvable' };

/** Where the referring resource sits, which decides how a relative reference resolves. */
export interface ReferenceContext {
  /** The `fullUrl` of the Bundle entry holding the referring resource. */
  fullUrl?: string | undefined;
  index?: BundleIndex | undefined;
  contained?: FhirResource[] | undefined;
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABSOLUTE = /^(https?:\/\/.+)\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/.+)?$/;

/** Indexes a Bundle's entries by `fullUrl` and by `Type/id`. */
export function indexBundle(
  entries: Array<{ fullUrl?: string; resource?: FhirResource }>,
): BundleIndex {
  const index: BundleIndex = { byFullUrl: new Map(), byTypeAndId: new Map() };
  for (const entry of entries) {
    if (entry.resource === undefined) {
      continue;
    }
    if (entry.fullUrl !== undefined) {
      index.byFullUrl.set(entry.fullUrl, entry.resource);
    }
    if (entry.resource.id !== undefined) {
      index.byTypeAndId.set(`${entry.resource.resourceType}/${entry.resource.id}`, entry.resource);
    }
  }
  return index;
}

/**
 * Resolves a FHIR reference as the specification describes (Bundle §3.1.3 and References):
 * `#id` among contained resources; `urn:uuid:`/`urn:oid:` by `fullUrl` only; a relative
 * `Type/id` against the base of the referring entry's `fullUrl`, then by type and id in the
 * Bundle (transactions commonly mix `urn:uuid` fullUrls with relative references); an absolute
 * URL by `fullUrl`, then by its type and id.
 */
export function resolveReference(reference: string, context: ReferenceContext): ResolvedReference {
  if (reference.startsWith('#')) {
    const resource = context.contained?.find((candidate) => `#${candidate.id}` === reference);
    return resource === undefined ? { found: 'unresolvable' } : { found: 'bundle', resource };
  }
  if (reference.startsWith('urn:')) {
    const resource = context.index?.byFullUrl.get(reference);
    return resource === undefined ? { found: 'unresolvable' } : { found: 'bundle', resource };
  }

  const relative = RELATIVE.exec(reference);
  if (relative !== null) {
    const [, resourceType = '', id = ''] = relative;
    const base = baseOf(context.fullUrl);
    const byUrl =
      base === undefined
        ? undefined
        : context.index?.byFullUrl.get(`${base}/${resourceType}/${id}`);
    return found(
      byUrl ?? context.index?.byTypeAndId.get(`${resourceType}/${id}`),
      resourceType,
      id,
    );
  }

  const absolute = ABSOLUTE.exec(reference);
  if (absolute !== null) {
    const [, base = '', resourceType = '', id = ''] = absolute;
    const byUrl = context.index?.byFullUrl.get(`${base}/${resourceType}/${id}`);
    return found(
      byUrl ?? context.index?.byTypeAndId.get(`${resourceType}/${id}`),
      resourceType,
      id,
    );
  }
  return { found: 'unresolvable' };
}

/** The resource type a reference names, when its form shows it. */
export function referencedType(reference: string): string | undefined {
  return RELATIVE.exec(reference)?.[1] ?? ABSOLUTE.exec(reference)?.[2];
}

function found(
  resource: FhirResource | undefined,
  resourceType: string,
  id: string,
): ResolvedReference {
  return resource === undefined
    ? { found: 'elsewhere', resourceType, id }
    : { found: 'bundle', resource };
}

function baseOf(fullUrl: string | undefined): string | undefined {
  const match = fullUrl === undefined ? null : ABSOLUTE.exec(fullUrl);
  return match?.[1];
}
