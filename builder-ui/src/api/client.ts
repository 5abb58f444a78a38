import type { JourneyIssue } from '../../../engine/journey/graph-rules.js';
import type { JourneyDocument } from '../../../engine/journey/journey.schema.js';
import type { NodeReport, VersionReport } from '../../../engine/reports/report-shapes.js';

export type { NodeReport, VersionReport };

/** A journey as the list shows it (the server's `JourneySummarySchema`). */
export interface JourneySummary {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'unpublished';
  publishedVersion: VersionSummary | null;
  latestVersion: number | null;
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A published version as lists show it. */
export interface VersionSummary {
  id: string;
  version: number;
  planHash: string;
  publishedBy: string;
  publishedAt: string;
}

/** A journey with its draft. */
export interface JourneyDetail extends JourneySummary {
  draft: JourneyDocument;
  issues: JourneyIssue[];
}

/** A sample event read from a fixture file by the server. */
export interface FixtureSample {
  name: string;
  label: string;
  eventType: string;
  data: Record<string, unknown>;
  suggestedStartAt: string;
}

/** A refusal from the API, carrying its RFC 9457 problem body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

// The session's CSRF token (from the sign-in or session answer) and who hears of a 401. Kept in
// memory only: a reload asks `GET /api/auth/session` again, so nothing lands in storage.
const session: { csrfToken: string | undefined; onUnauthorized: (() => void) | undefined } = {
  csrfToken: undefined,
  onUnauthorized: undefined,
};

/** Remembers the CSRF token the server gave this session (undefined when signed out). */
export function setCsrfToken(token: string | undefined): void {
  session.csrfToken = token;
}

/** Who is told when any call answers 401, so the sign-in screen can come back. */
export function onUnauthorized(listener: (() => void) | undefined): void {
  session.onUnauthorized = listener;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Every request goes through here, so the session cookie and the CSRF header are sent in one
// place. The server decides what a role may do; the UI's hidden buttons are only a courtesy.
export async function request<TBody>(
  method: string,
  path: string,
  body?: unknown,
  options: { isSignIn?: boolean } = {},
): Promise<TBody> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!SAFE_METHODS.has(method) && session.csrfToken !== undefined) {
    headers['x-csrf-token'] = session.csrfToken;
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const problem = (parsed ?? {}) as { code?: string; detail?: string; title?: string };
    // A refused sign-in is the sign-in screen's own answer, not a lost session.
    if (response.status === 401 && options.isSignIn !== true) {
      session.onUnauthorized?.();
    }
    throw new ApiError(
      response.status,
      problem.code ?? 'unknown',
      problem.detail ?? problem.title ?? `The server answered ${response.status}.`,
    );
  }
  return parsed as TBody;
}

/** The journeys API, as the builder uses it. */
export interface JourneysApi {
  listJourneys: () => Promise<JourneySummary[]>;
  getJourney: (id: string) => Promise<JourneyDetail>;
  createJourney: (document: JourneyDocument) => Promise<JourneyDetail>;
  importJourney: (document: unknown) => Promise<JourneyDetail>;
  saveJourney: (id: string, document: JourneyDocument) => Promise<JourneyDetail>;
  publish: (id: string) => Promise<{ version: VersionSummary; isNew: boolean }>;
  unpublish: (id: string) => Promise<unknown>;
  versions: (
    id: string,
  ) => Promise<{ publishedVersionId: string | null; versions: VersionSummary[] }>;
  version: (id: string, version: number) => Promise<VersionSummary & { graph: JourneyDocument }>;
  exportUrl: (id: string) => string;
  simulatorSamples: () => Promise<{ samples: FixtureSample[] }>;
  versionReport: (versionId: string) => Promise<VersionReport>;
}

/** The journeys API. */
export const api: JourneysApi = {
  listJourneys: () => request<JourneySummary[]>('GET', '/api/journeys'),
  getJourney: (id: string) => request<JourneyDetail>('GET', `/api/journeys/${id}`),
  createJourney: (document: JourneyDocument) =>
    request<JourneyDetail>('POST', '/api/journeys', document),
  importJourney: (document: unknown) =>
    request<JourneyDetail>('POST', '/api/journeys/import', document),
  saveJourney: (id: string, document: JourneyDocument) =>
    request<JourneyDetail>('PUT', `/api/journeys/${id}`, document),
  publish: (id: string) =>
    request<{ version: VersionSummary; isNew: boolean }>('POST', `/api/journeys/${id}/publish`),
  unpublish: (id: string) => request<unknown>('POST', `/api/journeys/${id}/unpublish`),
  versions: (id: string) =>
    request<{ publishedVersionId: string | null; versions: VersionSummary[] }>(
      'GET',
      `/api/journeys/${id}/versions`,
    ),
  version: (id: string, version: number) =>
    request<VersionSummary & { graph: JourneyDocument }>(
      'GET',
      `/api/journeys/${id}/versions/${version}`,
    ),
  exportUrl: (id: string) => `/api/journeys/${id}/export`,
  simulatorSamples: () => request('GET', '/api/simulator/samples'),
  versionReport: (versionId: string) =>
    request<VersionReport>('GET', `/api/reports/versions/${encodeURIComponent(versionId)}`),
};
