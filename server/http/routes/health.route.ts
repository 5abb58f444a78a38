import { z } from 'zod';
import { smtpReachable } from '../../health/smtp-reachable.js';
import type { ServerDeps } from '../../server-deps.js';
import type { Route } from '../route.js';

const ReadinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.enum(['ok', 'failing'])),
});

/** `GET /healthz`: the process is up. */
export function healthRoute(): Route {
  return {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the server process answers',
    tags: ['health'],
    access: 'public',
    responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
    handler: async (_req, res) => {
      res.json({ status: 'ok' });
    },
  };
}

/** `GET /readyz`: the database, Temporal and (in relay mode) the SMTP relay answer. */
export function readinessRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database, Temporal and the SMTP relay are reachable',
    tags: ['health'],
    access: 'public',
    responses: {
      200: { description: 'Ready', schema: ReadinessSchema },
      503: { description: 'A dependency is unreachable', schema: ReadinessSchema },
    },
    handler: async (_req, res) => {
      const smtp = deps.config.compliance.deliveryMode === 'relay' ? deps.config.smtp : undefined;
      const checks = {
        database: await passes(() => deps.pool.query('SELECT 1')),
        temporal: await passes(() => deps.temporal.connection.workflowService.getSystemInfo({})),
        // Direct delivery has no one peer to check: each recipient domain has its own.
        ...(smtp === undefined ? {} : { smtp: await passes(() => smtpReachable(smtp, 2_000)) }),
      };
      const isReady = Object.values(checks).every((check) => check === 'ok');
      res.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'unavailable', checks });
    },
  };
}

async function passes(check: () => Promise<unknown>): Promise<'ok' | 'failing'> {
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000)),
    ]);
    return 'ok';
  } catch {
    return 'failing';
  }
}
