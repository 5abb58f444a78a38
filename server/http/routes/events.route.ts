import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { CARE_EVENT_TYPE_PATTERN, type CareEvent } from '../../../engine/events/care-event.js';
import { checkEventData } from '../../../engine/events/check-event-data.js';
import { findEventByKey, patientOfSubject } from '../../db/event-lookup.store.js';
import { admitEvent } from '../../db/inbox.store.js';
import { findPatientIds } from '../../db/patients.store.js';
import { dispatchOrQueue } from '../../ingest/dispatch-or-queue.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { webhookAccess } from '../webhook-access.js';
import { authenticateOrRefuse } from './hook-auth.js';
import { problem } from './journey-schemas.js';

const SubjectSchema = z.object({
  resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'A resource type such as Appointment'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9\-.]{1,64}$/, 'A FHIR-style id: letters, digits, "-" and "." only')
    .describe("The subject's id at the source; opaque, never a name or record number"),
});

const EventBodySchema = z.object({
  type: z
    .string()
    .regex(
      CARE_EVENT_TYPE_PATTERN,
      'An event type is dotted lower-case words, e.g. appointment.confirmed',
    ),
  subject: SubjectSchema.describe('What the event is about; runs about the same subject hear it'),
  patient: z
    .string()
    .regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'A reference such as Patient/123')
    .optional()
    .describe('The patient, when the subject is not a Patient and no earlier event names one'),
  data: z.record(z.string(), z.unknown()).default({}),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .describe('The same key again answers the first result and starts nothing'),
});

const RunSchema = z.object({
  journeyId: z.string(),
  versionId: z.string(),
  workflowId: z.string(),
  action: z.enum(['started', 'signalled', 'queued']),
});

const EventResultSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  duplicate: z.boolean(),
  runs: z.array(RunSchema),
});

/**
 * `POST /api/events`: a CareEvent from an integration, into the inbox and through the same
 * dispatch as EHR webhooks: it starts the runs of journeys its type triggers and is heard by
 * runs about the same subject (a `wait.event`, a reschedule, a cancellation).
 */
export function eventsRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/events',
    summary: 'Take in a CareEvent; start and signal the runs it concerns',
    tags: ['hooks'],
    access: 'integration',
    // Raw, because a signed source's signature covers the exact bytes of the body.
    isRawBody: true,
    request: { body: EventBodySchema },
    responses: {
      200: {
        description: 'A redelivery: the first answer, nothing started',
        schema: EventResultSchema,
      },
      202: { description: 'In the inbox; runs started or signalled', schema: EventResultSchema },
      400: problem('Not valid JSON, or not an event'),
      401: problem('Not signed, or (development) not from this machine'),
      409: problem('The idempotency key was used for another event'),
      422: problem('The data does not fit the type, or the patient is unknown'),
    },
    handler: async (req, res) => {
      // The same sources as the webhooks: signed, or a bearer token, or (development only)
      // unsigned from this machine.
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const source = await authenticateOrRefuse(webhookAccess(deps), req, res, raw);
      const body = parseRequest(EventBodySchema, parseJsonBody(req, raw), 'body');
      const key = `api:${body.idempotencyKey}`;

      const earlier = await findEventByKey(deps.pool, source, key);
      if (earlier !== undefined) {
        assertSameEvent(earlier, body);
        res.json({ eventId: earlier.id, type: earlier.type, duplicate: true, runs: earlier.runs });
        return;
      }
      const issues = checkEventData(body.type, body.data);
      if (issues.length > 0) {
        throw new AppError(
          'event_data_invalid',
          `The data does not fit a ${body.type} event: ${issues.map((issue) => issue.message).join(' ')}`,
          { issues },
        );
      }

      const event: CareEvent = {
        id: randomUUID(),
        type: body.type,
        source,
        subject: body.subject,
        patientId: await resolvePatient(deps, source, body),
        occurredAt: body.occurredAt ?? new Date().toISOString(),
        data: body.data,
      };
      const admission = await admitEvent(deps.pool, deps.keyring, { event, idempotencyKey: key });
      if (admission.duplicate) {
        res.json({
          eventId: admission.id,
          type: event.type,
          duplicate: true,
          runs: admission.runs,
        });
        return;
      }

      const runs = await dispatchOrQueue(deps, event);
      deps.log.info({ eventId: event.id, type: event.type, runs: runs.length }, 'Event taken in');
      res.status(202).json({ eventId: event.id, type: event.type, duplicate: false, runs });
    },
  };
}

function assertSameEvent(
  earlier: { type: string; subject: { resourceType: string; id: string } },
  body: z.infer<typeof EventBodySchema>,
): void {
  const isSame =
    earlier.type === body.type &&
    earlier.subject.resourceType === body.subject.resourceType &&
    earlier.subject.id === body.subject.id;
  if (!isSame) {
    throw new AppError(
      'idempotency_key_reused',
      `Idempotency key "${body.idempotencyKey}" was used for a ${earlier.type} event about ${earlier.subject.resourceType}/${earlier.subject.id}; use a new key for a new event.`,
    );
  }
}

// The patient an event is about: the one it names, else the subject itself when it is a
// Patient, else the patient of the latest event about the same subject from the same source.
async function resolvePatient(
  deps: ServerDeps,
  source: string,
  body: z.infer<typeof EventBodySchema>,
): Promise<string> {
  const named = body.patient?.slice('Patient/'.length);
  const sourceId = named ?? (body.subject.resourceType === 'Patient' ? body.subject.id : undefined);
  const patientId =
    sourceId === undefined
      ? await patientOfSubject(deps.pool, source, body.subject)
      : (await findPatientIds(deps.pool, source, [sourceId])).get(sourceId);
  if (patientId === undefined) {
    throw new AppError(
      'event_patient_unresolved',
      sourceId === undefined
        ? `No earlier event about ${body.subject.resourceType}/${body.subject.id} names a patient; add "patient": "Patient/<id>".`
        : `Patient "${sourceId}" is not in the patient directory; post the Patient to /api/hooks/fhir first.`,
    );
  }
  return patientId;
}

function parseJsonBody(req: Request, raw: Buffer): unknown {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new AppError(
      'unsupported_media_type',
      `Content-Type "${type || '(none)'}" is not accepted; send the event as application/json.`,
    );
  }
  try {
    return JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    // The parser's message quotes the body around the fault, which can be PHI.
    throw new AppError(
      'body_malformed_json',
      'The body is not valid JSON; send one event as a JSON object.',
    );
  }
}
