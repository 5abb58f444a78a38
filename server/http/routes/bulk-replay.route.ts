import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { loadReplayItems, loadReplayJob } from '../../db/replay-jobs.store.js';
import { matchFailedRuns, startBulkReplay } from '../../runs/bulk-replay.js';
import { RunFilterSchema } from '../../runs/run-filter.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { problem } from './journey-schemas.js';
import { RunSummarySchema } from './run-schemas.js';

const BulkReplayBodySchema = z.object({
  filter: RunFilterSchema.omit({ status: true }).default({}),
  version: z.enum(['own', 'newest']).default('own'),
  dryRun: z
    .boolean()
    .default(true)
    .describe('`true` (the default): only report what would be replayed; `false`: replay'),
  paceMs: z.number().int().min(0).max(60_000).default(500).describe('Pause between replays'),
  limit: z.number().int().min(1).max(5_000).default(1_000),
});

const JobParamsSchema = z.object({ jobId: z.uuid() });

const ReplayJobSchema = z.object({
  id: z.string(),
  filter: z.record(z.string(), z.unknown()),
  onVersion: z.enum(['own', 'newest']),
  paceMs: z.number(),
  state: z.enum(['running', 'completed']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: z.object({
    total: z.number(),
    pending: z.number(),
    replayed: z.number(),
    skipped: z.number(),
    failed: z.number(),
  }),
  report: z.array(
    z.object({
      seq: z.number(),
      workflowId: z.string(),
      state: z.enum(['pending', 'replayed', 'skipped', 'failed']),
      code: z.string().nullable(),
      replayRunId: z.string().nullable(),
      at: z.string().nullable(),
    }),
  ),
});

/**
 * Bulk replay: the failed runs a filter matches, as a dry run, or replayed by a job that paces
 * itself and reports each run.
 */
export function bulkReplayRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/runs/replay',
      summary: 'Replay the failed runs a filter matches (a dry run unless dryRun is false)',
      tags: ['runs'],
      access: 'api',
      request: { body: BulkReplayBodySchema },
      responses: {
        200: {
          description: 'Dry run: the failed runs that would be replayed',
          schema: z.object({
            dryRun: z.literal(true),
            total: z.number(),
            isTruncated: z.boolean(),
            runs: z.array(RunSummarySchema),
          }),
        },
        202: {
          description: 'The job started; follow it at GET /api/runs/replay/:jobId',
          schema: z.object({ dryRun: z.literal(false), jobId: z.string(), total: z.number() }),
        },
        400: problem('The filter is not valid'),
      },
      handler: async (req, res) => {
        const body = parseRequest(BulkReplayBodySchema, req.body ?? {}, 'body');
        const replayDeps = { ...deps, orgTimeZone: deps.config.orgTimeZone };
        if (body.dryRun) {
          const runs = await matchFailedRuns(replayDeps, body.filter, body.limit);
          res.json({
            dryRun: true,
            total: runs.length,
            isTruncated: runs.length === body.limit,
            runs,
          });
          return;
        }
        const started = await startBulkReplay(replayDeps, {
          filter: body.filter,
          on: body.version,
          paceMs: body.paceMs,
          limit: body.limit,
        });
        res.status(202).json({ dryRun: false, ...started });
      },
    },
    {
      method: 'get',
      path: '/api/runs/replay/:jobId',
      summary: "A bulk replay's progress and report",
      tags: ['runs'],
      access: 'api',
      request: { params: JobParamsSchema },
      responses: {
        200: { description: 'The job', schema: ReplayJobSchema },
        404: problem('No job has that id'),
      },
      handler: async (req, res) => {
        const { jobId } = parseRequest(JobParamsSchema, req.params, 'path');
        const job = await loadReplayJob(deps.pool, jobId);
        if (job === undefined) {
          throw new AppError('replay_job_not_found', `No bulk replay has the id "${jobId}".`);
        }
        res.json({ ...job, report: await loadReplayItems(deps.pool, jobId) });
      },
    },
  ];
}
