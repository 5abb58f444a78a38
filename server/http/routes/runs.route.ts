import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { cancelRun } from '../../runs/cancel-run.js';
import { listRuns } from '../../runs/list-runs.js';
import { RunFilterSchema } from '../../runs/run-filter.js';
import { runTimeline } from '../../runs/run-timeline.js';
import { replayRun } from '../../runs/replay-run.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { problem } from './journey-schemas.js';
import {
  ReplayBodySchema,
  ReplayStartedSchema,
  RunParamsSchema,
  RunSummarySchema,
  RunTimelineSchema,
} from './run-schemas.js';

const ListQuery = RunFilterSchema.extend({
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  pageToken: z.string().min(1).max(4_000).optional().describe('`nextPageToken` of the last page'),
});

/**
 * Runs for operators: list with filters and paging, one run's timeline, cancel, replay.
 */
export function runRoutes(deps: ServerDeps): Route[] {
  return [listRoute(deps), timelineRoute(deps), cancelRoute(deps), replayRoute(deps)];
}

function listRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/runs',
    summary: 'Runs by journey, version, status, failure, patient and start time, newest first',
    tags: ['runs'],
    access: 'api',
    request: { query: ListQuery },
    responses: {
      200: {
        description: 'A page of runs and the token of the next page',
        schema: z.object({
          runs: z.array(RunSummarySchema),
          nextPageToken: z.string().nullable(),
        }),
      },
      400: problem('A filter or the page token is not valid'),
      503: problem('Temporal is unreachable'),
    },
    handler: async (req, res) => {
      const { pageSize, pageToken, ...filter } = parseRequest(ListQuery, req.query, 'query');
      try {
        res.json(await listRuns(deps, filter, { pageSize, pageToken }));
      } catch (error) {
        throw temporalError(error);
      }
    },
  };
}

function timelineRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/runs/:id',
    summary: "A run's timeline: steps, decisions, deliveries, scheduled steps, failure",
    tags: ['runs'],
    access: 'api',
    request: { params: RunParamsSchema },
    responses: {
      200: { description: 'The timeline', schema: RunTimelineSchema },
      404: problem('No run has that id'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(RunParamsSchema, req.params, 'path');
      res.json(await runTimeline(deps, id));
    },
  };
}

function cancelRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/runs/:id/cancel',
    summary: 'Cancel a running run: it sends nothing more and ends as cancelled',
    tags: ['runs'],
    access: 'api',
    request: { params: RunParamsSchema },
    responses: {
      202: {
        description: 'The run was told to cancel; it ends at its next step',
        schema: z.object({ workflowId: z.string(), status: z.literal('cancelling') }),
      },
      404: problem('No run has that id'),
      409: problem('The run is not running'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(RunParamsSchema, req.params, 'path');
      await cancelRun(deps, id);
      res.status(202).json({ workflowId: id, status: 'cancelling' });
    },
  };
}

function replayRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/runs/:id/replay',
    summary: 'Replay a failed run from its failed step; the ledger keeps sends exact',
    tags: ['runs'],
    access: 'api',
    request: { params: RunParamsSchema, body: ReplayBodySchema },
    responses: {
      202: { description: 'The replay started', schema: ReplayStartedSchema },
      404: problem('No run has that id'),
      409: problem('The run has not failed, or the newest version lacks the failed step'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(RunParamsSchema, req.params, 'path');
      const body = parseRequest(ReplayBodySchema, req.body ?? {}, 'body');
      const started = await replayRun(
        { ...deps, orgTimeZone: deps.config.orgTimeZone },
        id,
        body.version,
      );
      res.status(202).json(started);
    },
  };
}

// gRPC INVALID_ARGUMENT (a page token not from this API) and UNAVAILABLE.
function temporalError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 3) {
    return new AppError('request_invalid', 'The pageToken is not one this API gave out.', {
      cause: error,
    });
  }
  if (code === 14) {
    return new AppError('dependency_unavailable', 'Temporal is unreachable; try again.', {
      cause: error,
    });
  }
  return error;
}
