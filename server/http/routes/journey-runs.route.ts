import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import type { CareEvent } from '../../../engine/events/care-event.js';
import { sha256Hex } from '../../../engine/util/hash.js';
import { admitDirectEvent, patientExists } from '../../db/event-lookup.store.js';
import { markDispatched } from '../../db/inbox.store.js';
import { loadVersion } from '../../db/journeys.store.js';
import { startRun } from '../../ingest/start-run.js';
import { workflowIdFor } from '../../ingest/workflow-id.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { requireJourney } from './journeys.route.js';
import { JourneyParamsSchema, problem } from './journey-schemas.js';

/** The source and event type of runs started by hand. */
export const MANUAL_SOURCE = 'pathwell.manual';
export const MANUAL_EVENT_TYPE = 'journey.manual';

const ManualRunBodySchema = z.object({
  patientId: z.uuid().describe("Pathwell's id of the patient (the directory's key)"),
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('The same key again answers the first run and starts nothing'),
});

const ManualRunSchema = z.object({
  eventId: z.string(),
  journeyId: z.string(),
  versionId: z.string(),
  workflowId: z.string(),
  duplicate: z.boolean(),
});

/** `POST /api/journeys/:id/runs`: start a run of a manual journey for a chosen patient. */
export function journeyRunsRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/journeys/:id/runs',
    summary: 'Start a run of a journey with a manual trigger, for one patient',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema, body: ManualRunBodySchema },
    responses: {
      200: { description: 'A repeat of an earlier request: its run', schema: ManualRunSchema },
      201: {
        description: 'The run started, pinned to the published version',
        schema: ManualRunSchema,
      },
      400: problem('The request is not valid'),
      404: problem('No journey has that id'),
      409: problem('The journey is not published, or its trigger is not manual'),
      422: problem('No patient has that id'),
      503: problem('Temporal is unreachable; send the same idempotency key again'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const body = parseRequest(ManualRunBodySchema, req.body ?? {}, 'body');
      const journey = await requireJourney(deps, id);
      const version = await loadVersion(deps.pool, journey.publishedVersion?.id ?? '');
      if (version === undefined) {
        throw new AppError(
          'journey_not_published',
          `Journey "${id}" has no published version; publish it to start runs.`,
        );
      }
      if (version.plan.trigger.kind !== 'manual') {
        throw new AppError(
          'journey_trigger_mismatch',
          `Journey "${id}" starts on ${version.plan.trigger.kind === 'event' ? 'events' : 'its schedule'}, not by hand; give it a trigger.manual to start runs here.`,
        );
      }
      if (!(await patientExists(deps.pool, body.patientId))) {
        throw new AppError(
          'patient_not_in_directory',
          `No patient in the directory has the id "${body.patientId}".`,
        );
      }

      const key = `${id}/${body.patientId}/${body.idempotencyKey ?? randomUUID()}`;
      const event: CareEvent = {
        id: randomUUID(),
        type: MANUAL_EVENT_TYPE,
        source: MANUAL_SOURCE,
        // The key names the run; hashed, as a subject id must never carry what a caller typed.
        subject: { resourceType: 'ManualRun', id: sha256Hex(key).slice(0, 32) },
        patientId: body.patientId,
        occurredAt: new Date().toISOString(),
        data: {},
      };
      const admission = await admitDirectEvent(deps.pool, deps.keyring, event, key);
      const eventId = admission.id;
      const workflowId = workflowIdFor(id, event);
      if (admission.duplicate && admission.runs.length > 0) {
        res.json({
          eventId,
          journeyId: id,
          versionId: admission.runs[0]?.versionId,
          workflowId,
          duplicate: true,
        });
        return;
      }

      // A repeat whose first attempt could not reach Temporal starts the run now.
      const started = await startOrRefuse(deps, version, { ...event, id: eventId });
      await markDispatched(deps.pool, eventId, [started]);
      res.status(admission.duplicate ? 200 : 201).json({
        eventId,
        journeyId: id,
        versionId: started.versionId,
        workflowId,
        duplicate: admission.duplicate,
      });
    },
  };
}

async function startOrRefuse(
  deps: ServerDeps,
  version: NonNullable<Awaited<ReturnType<typeof loadVersion>>>,
  event: CareEvent,
) {
  try {
    const started = await startRun(
      { ...deps, orgTimeZone: deps.config.orgTimeZone },
      version,
      event,
    );
    return (
      started ?? {
        journeyId: version.journeyId,
        versionId: version.id,
        workflowId: workflowIdFor(version.journeyId, event),
        action: 'started' as const,
      }
    );
  } catch (error) {
    throw new AppError(
      'dependency_unavailable',
      'Temporal did not take the run; send the same request with the same idempotencyKey again.',
      { cause: error },
    );
  }
}
