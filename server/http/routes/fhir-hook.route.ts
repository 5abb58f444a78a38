import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { IGNORE_REASONS } from '../../../engine/events/ignore-reasons.js';
import { queueAccepted } from '../../ingest/dispatch-or-queue.js';
import { ingestFhir } from '../../ingest/ingest-fhir.js';
import type { ServerDeps } from '../../server-deps.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { webhookAccess } from '../webhook-access.js';
import { authenticateOrRefuse } from './hook-auth.js';

const JSON_TYPES = ['application/fhir+json', 'application/json'];
const XML_TYPES = ['application/fhir+xml', 'application/xml', 'text/xml'];

const RunSchema = z.object({
  journeyId: z.string(),
  versionId: z.string(),
  workflowId: z.string(),
  action: z.enum(['started', 'signalled', 'queued']),
});

/** The webhook's answer: the events a body produced and the resources that started nothing. */
export const FhirHookResultSchema = z.object({
  accepted: z.array(
    z.object({
      eventId: z.string(),
      type: z.string(),
      duplicate: z
        .boolean()
        .describe('A redelivery of an event already in the inbox: starts nothing'),
      runs: z
        .array(RunSchema)
        .describe(
          'For a new event, empty: its runs start right after the answer. For a redelivery, the runs the first delivery started',
        ),
    }),
  ),
  ignored: z.array(
    z.object({
      resourceType: z.string(),
      id: z.string(),
      reason: z.enum(Object.keys(IGNORE_REASONS) as [keyof typeof IGNORE_REASONS]),
    }),
  ),
  stored: z.array(z.object({ resourceType: z.literal('Patient'), id: z.string() })),
});

/** `POST /api/hooks/fhir`: FHIR R4 resources, Bundles and subscription notifications. */
export function fhirHookRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/hooks/fhir',
    summary:
      'Take in a FHIR R4 resource, Bundle or subscription notification; start and signal the runs its events trigger',
    tags: ['hooks'],
    access: 'integration',
    isRawBody: true,
    request: { contentTypes: JSON_TYPES, body: z.looseObject({ resourceType: z.string() }) },
    responses: {
      200: {
        description: 'Every event in the body was a redelivery; nothing started',
        schema: FhirHookResultSchema,
      },
      202: { description: 'Taken in; events are in the inbox', schema: FhirHookResultSchema },
      400: {
        description: 'Malformed JSON, or not a FHIR resource',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      401: {
        description: 'Not signed, or not from an allowed place',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      413: {
        description: 'Body over 10 MB',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      415: {
        description: 'Not JSON (FHIR XML is not supported)',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      422: {
        description: 'A resource breaks a rule (no patient, bad start); issues[].field is its path',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      429: {
        description: 'The source sent too many requests; retry after Retry-After seconds',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      503: {
        description: 'The EHR FHIR server an id-only notification needs did not answer',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    handler: async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const source = await authenticateOrRefuse(webhookAccess(deps), req, res, raw);
      const parsed = parseFhirJson(req, raw);
      const result = await ingestFhir(deps, source, {
        parsed,
        bytes: raw,
        contentType: req.get('content-type') ?? '',
      });
      const isAllRedelivery =
        result.accepted.length > 0 && result.accepted.every((event) => event.duplicate);
      res.status(isAllRedelivery ? 200 : 202).json({
        accepted: result.accepted,
        ignored: result.ignored,
        stored: result.stored,
      });
      // After the answer: the events are durable, and the EHR need not wait on Temporal.
      queueAccepted(deps, result);
    },
  };
}

function parseFhirJson(req: Request, raw: Buffer): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (XML_TYPES.includes(type)) {
    throw new AppError(
      'unsupported_media_type',
      `FHIR XML ("${type}") is not supported; send the same resource as JSON with Content-Type application/fhir+json.`,
    );
  }
  if (!JSON_TYPES.includes(type)) {
    throw new AppError(
      'unsupported_media_type',
      `Content-Type "${type || '(none)'}" is not accepted; send application/fhir+json or application/json.`,
    );
  }
  // A UTF-8 byte-order mark is legal at the start of a JSON text but JSON.parse refuses it.
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the fault, which can be PHI: only the position goes out.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? 'where it ends early' : `at character ${position}`;
    throw new AppError(
      'body_malformed_json',
      `The body is not valid JSON (${where}); send one FHIR resource or Bundle as JSON.`,
    );
  }
}
