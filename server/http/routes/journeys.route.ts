import { AppError } from '../../../engine/errors/app-error.js';
import type { JourneyIssue } from '../../../engine/journey/graph-rules.js';
import { validateJourney } from '../../../engine/journey/validate.js';
import {
  findJourney,
  type JourneyRow,
  listJourneys,
  saveDraft,
} from '../../db/journey-drafts.store.js';
import { createJourney } from '../../db/journeys.store.js';
import { readDraft } from '../../journeys/read-draft.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import {
  JourneyDetailSchema,
  JourneyParamsSchema,
  JourneySummarySchema,
  problem,
} from './journey-schemas.js';
import { z } from 'zod';

/** A journey of the format's 5,000 nodes is about 1.7 MB of JSON. */
export const DOCUMENT_LIMIT = '5mb';

const DRAFT_BODY = z.unknown().describe('A journey document (see GET /api/journeys/schema)');

/** `POST /api/journeys`, `GET /api/journeys`, `GET` and `PUT /api/journeys/:id`: drafts. */
export function journeyRoutes(deps: ServerDeps): Route[] {
  return [
    createRoute(deps, '/api/journeys', 'Create a journey from a draft document'),
    listRoute(deps),
    getRoute(deps),
    updateRoute(deps),
  ];
}

/**
 * `POST /api/journeys/import`: a journey from an exported JSON file. The same as creating one;
 * its own path so the builder's import button and tooling have a name to call.
 */
export function journeyImportRoute(deps: ServerDeps): Route {
  return createRoute(deps, '/api/journeys/import', 'Import a journey from an exported JSON file');
}

function createRoute(deps: ServerDeps, path: string, summary: string): Route {
  return {
    method: 'post',
    path,
    summary,
    tags: ['journeys'],
    access: 'api',
    request: { body: DRAFT_BODY },
    bodyLimit: DOCUMENT_LIMIT,
    responses: {
      201: {
        description: 'Saved as a draft; `issues` lists what must be fixed before publishing',
        schema: JourneyDetailSchema,
      },
      400: problem('Not a journey document (malformed JSON, wrong shape, unknown node type)'),
    },
    handler: async (req, res) => {
      const { document, issues } = readDraft(req.body);

      const id = await createJourney(deps.pool, document);

      const row = (await findJourney(deps.pool, id)) as JourneyRow;
      deps.log.info({ journeyId: id, issues: issues.length }, 'Journey created');
      res.status(201).location(`/api/journeys/${id}`).json(detailOf(row, issues));
    },
  };
}

function listRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/journeys',
    summary: 'List journeys: draft, published or unpublished, and their versions',
    tags: ['journeys'],
    access: 'api',
    responses: {
      200: {
        description: 'Every journey, most recently changed first',
        schema: z.object({ journeys: z.array(JourneySummarySchema) }),
      },
    },
    handler: async (_req, res) => {
      const rows = await listJourneys(deps.pool);
      res.json({ journeys: rows.map(({ draft: _draft, ...summary }) => summary) });
    },
  };
}

function getRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/journeys/:id',
    summary: 'Get a journey: its draft, what the validator says of it, and its published version',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema },
    responses: {
      200: { description: 'The journey', schema: JourneyDetailSchema },
      404: problem('No journey has that id'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const row = await requireJourney(deps, id);
      res.json(detailOf(row, validateJourney(row.draft).issues));
    },
  };
}

function updateRoute(deps: ServerDeps): Route {
  return {
    method: 'put',
    path: '/api/journeys/:id',
    summary: 'Replace the draft; published versions and running runs are not touched',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema, body: DRAFT_BODY },
    bodyLimit: DOCUMENT_LIMIT,
    responses: {
      200: {
        description: 'Saved; `issues` lists what must be fixed before publishing',
        schema: JourneyDetailSchema,
      },
      400: problem('Not a journey document'),
      404: problem('No journey has that id'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const { document, issues } = readDraft(req.body);

      if (!(await saveDraft(deps.pool, id, document))) {
        throw notFound(id);
      }

      const row = await requireJourney(deps, id);
      res.json(detailOf(row, issues));
    },
  };
}

/** The journey with an id, or a 404. */
export async function requireJourney(deps: ServerDeps, id: string): Promise<JourneyRow> {
  const row = await findJourney(deps.pool, id);
  if (row === undefined) {
    throw notFound(id);
  }
  return row;
}

function notFound(id: string): AppError {
  return new AppError(
    'journey_not_found',
    `No journey has the id "${id}"; list them at GET /api/journeys.`,
  );
}

function detailOf(row: JourneyRow, issues: JourneyIssue[]): z.infer<typeof JourneyDetailSchema> {
  return { ...row, issues };
}
