import { request } from './client.js';

/** A run's status as the runs API names it. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** One run in a list (the server's `RunSummarySchema`). */
export interface RunSummary {
  workflowId: string;
  runId: string;
  journeyId: string | null;
  versionId: string | null;
  patientId: string | null;
  status: RunStatus;
  outcome: string | null;
  reason: string | null;
  failureType: string | null;
  failedNode: string | null;
  startedAt: string | null;
  closedAt: string | null;
  replays: number;
}

/** A run's timeline (the server's `RunTimelineSchema`). */
export interface RunTimeline extends RunSummary {
  steps: {
    seq: number;
    stepId: string;
    kind: string;
    outcome: string;
    reason?: string;
    at: string;
  }[];
  decisions: {
    at: string;
    stepId: string | null;
    action: string;
    decision: string | null;
    reason: string | null;
  }[];
  deliveries: {
    stepId: string;
    messageId: string;
    state: string;
    attempts: number;
    reason: string | null;
    smtpCode: number | null;
    recipientDomain: string | null;
    updatedAt: string;
  }[];
  scheduled: { stepId: string; at: string }[];
  failure: { type: string; failedNode: string | null; message: string } | null;
}

/** The filters of the runs list and of a bulk replay (bulk replay ignores `status`). */
export interface RunFilter {
  status?: RunStatus;
  journeyId?: string;
  failureType?: string;
  startedFrom?: string;
  startedTo?: string;
}

/** A bulk replay job with its progress and per-run report. */
export interface ReplayJob {
  id: string;
  state: 'running' | 'completed';
  progress: { total: number; pending: number; replayed: number; skipped: number; failed: number };
  report: {
    seq: number;
    workflowId: string;
    state: 'pending' | 'replayed' | 'skipped' | 'failed';
    code: string | null;
    replayRunId: string | null;
  }[];
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

type BulkFilter = Omit<RunFilter, 'status'>;

/** The runs API, as the runs screens use it. */
export interface RunsApi {
  list: (
    filter: RunFilter,
    pageToken?: string,
    pageSize?: number,
  ) => Promise<{ runs: RunSummary[]; nextPageToken: string | null }>;
  timeline: (id: string) => Promise<RunTimeline>;
  cancel: (id: string) => Promise<unknown>;
  replay: (id: string, version?: 'own' | 'newest') => Promise<{ workflowId: string; mode: string }>;
  bulkDryRun: (
    filter: BulkFilter,
  ) => Promise<{ dryRun: true; total: number; isTruncated: boolean; runs: RunSummary[] }>;
  bulkStart: (filter: BulkFilter) => Promise<{ dryRun: false; jobId: string; total: number }>;
  job: (jobId: string) => Promise<ReplayJob>;
}

/** The runs API. */
export const runsApi: RunsApi = {
  list: (filter: RunFilter, pageToken?: string, pageSize = 50) =>
    request<{ runs: RunSummary[]; nextPageToken: string | null }>(
      'GET',
      `/api/runs${query({ ...filter, pageSize, pageToken })}`,
    ),
  timeline: (id: string) => request<RunTimeline>('GET', `/api/runs/${encodeURIComponent(id)}`),
  cancel: (id: string) => request<unknown>('POST', `/api/runs/${encodeURIComponent(id)}/cancel`),
  replay: (id: string, version: 'own' | 'newest' = 'own') =>
    request<{ workflowId: string; mode: string }>(
      'POST',
      `/api/runs/${encodeURIComponent(id)}/replay`,
      { version },
    ),
  bulkDryRun: (filter: BulkFilter) =>
    request<{ dryRun: true; total: number; isTruncated: boolean; runs: RunSummary[] }>(
      'POST',
      '/api/runs/replay',
      { filter, dryRun: true },
    ),
  bulkStart: (filter: BulkFilter) =>
    request<{ dryRun: false; jobId: string; total: number }>('POST', '/api/runs/replay', {
      filter,
      dryRun: false,
    }),
  job: (jobId: string) =>
    request<ReplayJob>('GET', `/api/runs/replay/${encodeURIComponent(jobId)}`),
};
