import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { IGNORE_REASONS } from '../../../engine/events/ignore-reasons.js';
import type { RunDispatch } from '../../db/inbox.store.js';
import { publishedVersionsFor } from '../../db/journeys.store.js';
import { dispatchEvent } from '../../ingest/dispatch.js';
import { type AcceptedEvent, ingestFhir } from '../../ingest/ingest-fhir.js';
import { workflowIdFor } from '../../ingest/workflow-id.js';
import type { ServerDeps } from '../../server-deps.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { webhookSource } from '../webhook-access.js';

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
      runs: z.array(RunSchema),
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

/** `POST /api/hooks/fhir`: FHIR R4 resources and Bundles from an EHR. */
export function fhirHookRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/hooks/fhir',
    summary: 'Take in a FHIR R4 resource or Bundle; start and signal the runs its events trigger',
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
        description: 'A resource breaks a rule (no patient, bad start)',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    handler: async (req, res) => {
      const source = webhookSource(req, deps.config);
      const body = parseFhirJson(req);
      const result = await ingestFhir(deps, source, body);

      for (const event of result.toDispatch) {
        const entry = result.accepted.find(
          (accepted) => accepted.eventId === event.id,
        ) as AcceptedEvent;
        entry.runs = await dispatchOrQueue(deps, event);
      }
      const isAllRedelivery =
        result.accepted.length > 0 && result.accepted.every((event) => event.duplicate);
      res.status(isAllRedelivery ? 200 : 202).json({
        accepted: result.accepted,
        ignored: result.ignored,
        stored: result.stored,
      });
    },
  };
}

// The inbox already holds the event, so a failure to reach Temporal loses nothing: the
// dispatcher loop starts the runs as soon as it can, and the answer says so.
async function dispatchOrQueue(
  deps: ServerDeps,
  event: Parameters<typeof dispatchEvent>[1],
): Promise<RunDispatch[]> {
  try {
    return await dispatchEvent({ ...deps, orgTimeZone: deps.config.orgTimeZone }, event);
  } catch (error) {
    deps.log.warn(
      { eventId: event.id, errorClass: (error as Error).name },
      'Dispatch deferred to the inbox loop',
    );
    const versions = await publishedVersionsFor(deps.pool, event.type).catch(() => []);
    return versions.map((version) => ({
      journeyId: version.journeyId,
      versionId: version.id,
      workflowId: workflowIdFor(version.journeyId, event),
      action: 'queued' as const,
    }));
  }
}

function parseFhirJson(req: Request): unknown {
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
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
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
