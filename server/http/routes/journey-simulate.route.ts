import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { compileJourney } from '../../../engine/plan/compile.js';
import type { Plan } from '../../../engine/plan/plan.types.js';
import { isIanaZone } from '../../../engine/schedule/time-zone.js';
import { sampleEvent, samplePatient } from '../../../engine/simulator/sample-event.js';
import { simulate } from '../../../engine/simulator/simulate.js';
import { findVersionByNumber } from '../../db/journey-drafts.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { requireJourney } from './journeys.route.js';
import { JourneyParamsSchema, problem } from './journey-schemas.js';

const Instant = z.iso.datetime({ offset: true });
const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const SimulateBodySchema = z.object({
  version: z.number().int().min(1).optional().describe('A published version; default the draft'),
  startAt: Instant.optional().describe('When the simulated run starts; default now'),
  event: z
    .object({ data: z.record(z.string(), z.unknown()) })
    .optional()
    .describe("The trigger event's data, e.g. { appointment: { start } }; default a sample"),
  patient: z
    .object({
      timeZone: z.string().refine(isIanaZone, 'Use an IANA zone such as Europe/Berlin').optional(),
      fields: z.record(z.string(), Scalar).optional(),
    })
    .optional()
    .describe('The sample patient; without `fields`, example values of what conditions read'),
  sendReports: z
    .record(
      z.string(),
      z.object({ outcome: z.string().min(1).max(64), reason: z.string().max(64).optional() }),
    )
    .optional()
    .describe('What each send step reports, by step id; default `sent`'),
  arrivals: z
    .array(
      z.union([
        z.object({
          at: Instant,
          event: z.object({
            type: z.string().min(1),
            data: z.record(z.string(), z.unknown()).optional(),
          }),
        }),
        z.object({ at: Instant, cancel: z.object({ reason: z.string().min(1).max(64) }) }),
      ]),
    )
    .max(100)
    .optional()
    .describe('Events (reschedules, confirmations, …) and cancellations during the run'),
});

const TrailStepSchema = z.object({
  stepId: z.string(),
  kind: z.string(),
  outcome: z.string(),
  reason: z.string().optional(),
  at: z.string(),
});

const SimulationSchema = z.object({
  source: z.enum(['draft', 'version']),
  version: z.number().int().nullable(),
  planHash: z.string(),
  zone: z.string().describe('The zone the run speaks in'),
  path: z.array(TrailStepSchema),
  sends: z.array(
    z.object({
      stepId: z.string(),
      at: z.string().describe('UTC'),
      local: z.string().describe('The same instant in the run zone'),
      outcome: z.string(),
      reason: z.string().optional(),
    }),
  ),
  waits: z.array(
    z.object({
      stepId: z.string(),
      from: z.string(),
      until: z.string(),
      untilLocal: z.string(),
      isInterrupted: z.boolean(),
    }),
  ),
  end: z.object({ status: z.string(), outcome: z.string(), reason: z.string().optional() }),
  endedAt: z.string(),
  endedAtLocal: z.string(),
  decisions: z.number().int(),
});

/** `POST /api/journeys/:id/simulate`: the interpreter on a virtual clock, nothing sent. */
export function journeySimulateRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/journeys/:id/simulate',
    summary: 'Simulate a run: the path it takes and every send instant, in UTC and local time',
    tags: ['journeys'],
    access: 'api',
    request: { params: JourneyParamsSchema, body: SimulateBodySchema },
    responses: {
      200: { description: 'What the run would do', schema: SimulationSchema },
      400: problem('The request or the draft is malformed'),
      404: problem('No journey, or no such version'),
      422: problem('The draft breaks rules: `issues` lists every one'),
    },
    handler: async (req, res) => {
      const { id } = parseRequest(JourneyParamsSchema, req.params, 'path');
      const body = parseRequest(SimulateBodySchema, req.body ?? {}, 'body');
      const journey = await requireJourney(deps, id);
      const compiled = await planOf(deps, id, journey.draft, body.version);

      const startAt = body.startAt ?? new Date().toISOString();
      const trigger = compiled.plan.trigger;
      const sample = sampleEvent(trigger.kind === 'event' ? trigger.eventType : undefined, startAt);
      const timeZone = body.patient?.timeZone;
      const result = simulate({
        journeyId: id,
        plan: compiled.plan,
        event: { ...sample, data: body.event?.data ?? sample.data },
        patient:
          body.patient?.fields === undefined
            ? samplePatient(compiled.plan.patientFields, timeZone)
            : { timeZone, fields: body.patient.fields },
        startAt,
        orgTimeZone: deps.config.orgTimeZone,
        ...(body.sendReports === undefined ? {} : { sendReports: body.sendReports }),
        ...(body.arrivals === undefined ? {} : { arrivals: body.arrivals }),
      });

      res.json({
        source: body.version === undefined ? 'draft' : 'version',
        version: body.version ?? null,
        planHash: compiled.hash,
        ...result,
      });
    },
  };
}

async function planOf(
  deps: ServerDeps,
  journeyId: string,
  draft: unknown,
  version: number | undefined,
): Promise<{ plan: Plan; hash: string }> {
  if (version === undefined) {
    return compileJourney(draft);
  }
  const found = await findVersionByNumber(deps.pool, journeyId, version);
  if (found === undefined) {
    throw new AppError('version_not_found', `Journey "${journeyId}" has no version ${version}.`);
  }
  return { plan: found.plan, hash: found.planHash };
}
