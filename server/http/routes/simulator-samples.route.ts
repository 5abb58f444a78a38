import { z } from 'zod';
import { readFixtureSamples } from '../../journeys/fixture-samples.js';
import type { ServerDeps } from '../../server-deps.js';
import type { Route } from '../route.js';

const SampleSchema = z.object({
  name: z.string().describe('`fixture:<folder>/<file>`'),
  label: z.string(),
  eventType: z.string(),
  data: z.record(z.string(), z.unknown()).describe('The CareEvent data the webhook would make'),
  suggestedStartAt: z.string().describe('A virtual clock start three days before the event'),
});

/**
 * `GET /api/simulator/samples`: the fixture appointments of `PATHWELL_FIXTURES` as sample events
 * for the builder's simulator (none when the folder is absent). Pathwell's own samples, one per
 * event type, ship inside the builder.
 */
export function simulatorSamplesRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/simulator/samples',
    summary: 'List sample events read from the fixtures, for the simulator',
    tags: ['journeys'],
    access: 'api',
    responses: {
      200: {
        description: 'Every fixture that reads as an event',
        schema: z.object({ samples: z.array(SampleSchema) }),
      },
    },
    handler: async (_req, res) => {
      const samples = readFixtureSamples(deps.config.fixturesDir);
      deps.log.debug({ count: samples.length }, 'Simulator samples listed');
      res.json({ samples });
    },
  };
}
