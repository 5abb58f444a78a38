import { metricsOf } from '../../metrics/metrics.js';
import type { ServerDeps } from '../../server-deps.js';
import type { Route } from '../route.js';

/**
 * `GET /metrics`: Prometheus text format. Labels are route templates, status codes and
 * Pathwell's codes only (no PHI).
 * Who may read it: an admin, or an API token with the `metrics` scope (server/auth).
 */
export function metricsRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: requests, runs, sends, queue lag',
    tags: ['health'],
    access: 'api',
    responses: { 200: { description: 'The metrics', contentType: 'text/plain; version=0.0.4' } },
    handler: async (_req, res) => {
      const { registry } = metricsOf(deps);
      const body = await registry.metrics();
      res.set('content-type', registry.contentType).send(body);
    },
  };
}
