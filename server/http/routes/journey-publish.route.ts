import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import {
  findVersionByNumber,
  listVersions,
  unpublishJourney,
} from '../../db/journey-drafts.store.js';
import { loadVersion, publishJourney } from '../../db/journeys.store.js';
import { syncSchedule } from '../../journeys/schedule-sync.js';
import { actorOf } from '../../auth/principal.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { requireJourney } from './journeys.route.js';
import {
  JourneyParamsSchema,
  JourneySummarySchema,
  problem,
  VersionSummarySchema,
} from './journey-schemas.js';

const ScheduleSyncSchema = z
  .object({
    workflowId: z.string(),
    action: z.enum(['scheduled', 'stopped', 'none', 'pending']),
  })
  .describe('What happened to the journey schedule workflow (schedule triggers)');

const PublishResultSchema = z.object({
  version: VersionSummarySchema,
  isNew: z.boolean().describe('false when the draft was already the published version'),
  schedule: ScheduleSyncSchema,
});

const VersionParamsSchema = JourneyParamsSchema.extend({
  version: z.coerce.number().int().min(1),
});

/** Publish, unpublish and the version list of a journey. */
export function journeyPublishRoutes(deps: ServerDeps): Route[] {
  return [publishRoute(deps), unpublishRoute(deps), versionsRoute(deps), versionRoute(deps)];
}

function publishRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/journeys/:id/publish',
    summary: 'Validate and compile the draft and freeze it as the version new runs start on',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema },
    responses: {
      200: {
        description: 'The draft was already the published version',
        schema: PublishResultSchema,
      },
      201: { description: 'Published as a new version', schema: PublishResultSchema },
      400: problem('The draft is malformed'),
      404: problem('No journey has that id'),
      422: problem('The draft breaks rules: `issues` lists every one'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const journey = await requireJourney(deps, id);

      if (journey.status === 'published' && !journey.hasUnpublishedChanges) {
        const current = await loadVersion(deps.pool, journey.publishedVersion?.id ?? '');
        const schedule = await syncSchedule(deps, id, current);
        res.json({ version: journey.publishedVersion, isNew: false, schedule });
        return;
      }
      // The version records who published it: `user:<id>` or `token:<id>` (the audit actor).
      const version = await publishJourney(deps.pool, id, actorOf(requirePrincipal(res)).actorId);
      const schedule = await syncSchedule(deps, id, version);

      deps.log.info(
        { journeyId: id, versionId: version.id, version: version.version },
        'Journey published',
      );
      const { plan: _plan, journeyId: _journeyId, ...summary } = version;
      res.status(201).json({ version: summary, isNew: true, schedule });
    },
  };
}

function unpublishRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/journeys/:id/unpublish',
    summary: 'Stop new runs (and the schedule); runs in flight go on with their version',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema },
    responses: {
      200: {
        description: 'Unpublished (or already not published)',
        schema: z.object({ journey: JourneySummarySchema, schedule: ScheduleSyncSchema }),
      },
      404: problem('No journey has that id'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      await requireJourney(deps, id);

      const previous = await unpublishJourney(deps.pool, id);
      const schedule = await syncSchedule(deps, id, undefined);

      if (previous !== null) {
        deps.log.info({ journeyId: id, versionId: previous }, 'Journey unpublished');
      }
      const { draft: _draft, ...journey } = await requireJourney(deps, id);
      res.json({ journey, schedule });
    },
  };
}

function versionsRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/journeys/:id/versions',
    summary: 'List the versions of a journey: who published each, when, and its plan hash',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema },
    responses: {
      200: {
        description: 'Newest first',
        schema: z.object({
          publishedVersionId: z.string().nullable(),
          versions: z.array(VersionSummarySchema),
        }),
      },
      404: problem('No journey has that id'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const journey = await requireJourney(deps, id);
      const versions = await listVersions(deps.pool, id);
      res.json({ publishedVersionId: journey.publishedVersion?.id ?? null, versions });
    },
  };
}

function versionRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/journeys/:id/versions/:version',
    summary: 'Get one version: the graph it froze and the plan runs on it interpret',
    tags: ['journeys'],
    access: 'api',
    request: { params: VersionParamsSchema },
    responses: {
      200: {
        description: 'The version',
        schema: VersionSummarySchema.extend({ graph: z.unknown(), plan: z.unknown() }),
      },
      404: problem('No journey, or no such version'),
    },
    handler: async (req, res) => {
      const { id, version } = parseRequest(VersionParamsSchema, req.params, 'path');
      await requireJourney(deps, id);
      const found = await findVersionByNumber(deps.pool, id, version);
      if (found === undefined) {
        throw new AppError(
          'version_not_found',
          `Journey "${id}" has no version ${version}; list them at GET /api/journeys/${id}/versions.`,
        );
      }
      res.json(found);
    },
  };
}
