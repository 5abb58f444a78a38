import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import {
  CARE_EVENT_TYPE_PATTERN,
  KNOWN_CARE_EVENT_TYPES,
} from '../../../engine/events/care-event.js';
import { journeyJsonSchema } from '../../../engine/journey/journey.schema.js';
import { NODE_TYPES } from '../../../engine/journey/nodes.schema.js';
import { validateJourney } from '../../../engine/journey/validate.js';
import { variablesFor } from '../../../engine/templates/catalogue.js';
import { PATHWELL_FILTERS } from '../../../engine/templates/liquid.js';
import { findVersionByNumber } from '../../db/journey-drafts.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { DOCUMENT_LIMIT, requireJourney } from './journeys.route.js';
import { IssueSchema, JourneyParamsSchema, problem } from './journey-schemas.js';

const VariableSchema = z.object({
  path: z.string(),
  type: z.enum(['string', 'datetime', 'date', 'number', 'boolean']),
  sensitivity: z.enum(['S0', 'S1', 'S2', 'S3']).describe('COMPLIANCE.md sensitivity class'),
  description: z.string(),
  isConditionOnly: z.boolean().describe('Conditions may test it; templates may not render it'),
  example: z.union([z.string(), z.number(), z.boolean()]),
});

const EventTypeQuerySchema = z.object({
  eventType: z
    .string()
    .regex(CARE_EVENT_TYPE_PATTERN, 'An event type is dotted lower-case words')
    .optional()
    .describe('The trigger event type; leave out for schedule and manual triggers'),
});

const ExportQuerySchema = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('A published version; default the draft'),
});

/**
 * The builder's tools: the document's JSON Schema, a validator, the node and variable
 * catalogues, and export. They read no PHI and change nothing.
 */
export function journeyToolRoutes(deps: ServerDeps): Route[] {
  return [schemaRoute(), validateRoute(), eventTypesRoute(), variablesRoute(), exportRoute(deps)];
}

function schemaRoute(): Route {
  const schema = journeyJsonSchema();
  return {
    method: 'get',
    path: '/api/journeys/schema',
    summary: 'The journey document format as JSON Schema (draft 2020-12)',
    tags: ['journeys'],
    access: 'api',
    responses: { 200: { description: 'The JSON Schema', contentType: 'application/schema+json' } },
    handler: async (_req, res) => {
      res.type('application/schema+json').send(JSON.stringify(schema));
    },
  };
}

function validateRoute(): Route {
  return {
    method: 'post',
    path: '/api/journeys/validate',
    summary: 'Check a journey document against every rule, without saving it',
    tags: ['journeys'],
    access: 'api',
    request: { body: z.unknown().describe('A journey document') },
    bodyLimit: DOCUMENT_LIMIT,
    responses: {
      200: {
        description: 'Every problem found; `ok` when there is none',
        schema: z.object({
          ok: z.boolean(),
          malformed: z
            .boolean()
            .describe("The document lacks the format's shape (saving it is 400)"),
          issues: z.array(IssueSchema),
        }),
      },
    },
    handler: async (req, res) => {
      const result = validateJourney(req.body);
      res.json({ ok: result.ok, malformed: !result.ok && result.malformed, issues: result.issues });
    },
  };
}

function eventTypesRoute(): Route {
  return {
    method: 'get',
    path: '/api/catalogue/event-types',
    summary: 'The event types journeys can start on or wait for, and the node catalogue',
    tags: ['catalogue'],
    access: 'api',
    responses: {
      200: {
        description: 'Known event types (custom ones match `pattern`) and every node type',
        schema: z.object({
          eventTypes: z.array(z.string()),
          pattern: z.string(),
          nodeTypes: z.array(
            z.object({
              type: z.string(),
              handles: z.union([z.array(z.string()), z.literal('branches')]),
            }),
          ),
          filters: z.array(z.string()).describe('Template filters Pathwell adds to Liquid'),
        }),
      },
    },
    handler: async (_req, res) => {
      res.json({
        eventTypes: [...KNOWN_CARE_EVENT_TYPES],
        pattern: CARE_EVENT_TYPE_PATTERN.source,
        nodeTypes: Object.entries(NODE_TYPES).map(([type, spec]) => ({
          type,
          handles: spec.handles === 'branches' ? 'branches' : [...spec.handles],
        })),
        filters: [...PATHWELL_FILTERS],
      });
    },
  };
}

function variablesRoute(): Route {
  return {
    method: 'get',
    path: '/api/catalogue/variables',
    summary: 'The variables conditions and templates may use for a trigger event type',
    tags: ['catalogue'],
    access: 'api',
    request: { query: EventTypeQuerySchema },
    responses: {
      200: {
        description: 'Each variable with its type and sensitivity class',
        schema: z.object({ eventType: z.string().nullable(), variables: z.array(VariableSchema) }),
      },
      400: problem('The event type is not dotted lower-case words'),
    },
    handler: async (req, res) => {
      const { eventType } = parseRequest(EventTypeQuerySchema, req.query, 'query');
      res.json({
        eventType: eventType ?? null,
        variables: variablesFor(eventType).map((spec) => ({
          path: spec.path,
          type: spec.type,
          sensitivity: spec.sensitivity,
          description: spec.description,
          isConditionOnly: spec.isConditionOnly === true,
          example: spec.example,
        })),
      });
    },
  };
}

function exportRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/journeys/:id/export',
    summary: 'Download a journey document (the draft, or a published version) as a JSON file',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema, query: ExportQuerySchema },
    responses: {
      200: { description: 'The journey document, to import elsewhere' },
      404: problem('No journey, or no such version'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const { version } = parseRequest(ExportQuerySchema, req.query, 'query');
      const journey = await requireJourney(deps, id);
      const document =
        version === undefined
          ? journey.draft
          : (await findVersionByNumber(deps.pool, id, version))?.graph;
      if (document === undefined) {
        throw new AppError('version_not_found', `Journey "${id}" has no version ${version ?? ''}.`);
      }
      const name = `${slug(journey.name)}${version === undefined ? '' : `-v${version}`}.journey.json`;
      res
        .type('application/json')
        .attachment(name)
        .send(`${JSON.stringify(document, null, 2)}\n`);
    },
  };
}

function slug(name: string): string {
  const text = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text === '' ? 'journey' : text.slice(0, 60);
}
