import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../log/logger.js';
import type { ServerDeps } from '../server-deps.js';
import {
  inboxLagSeconds,
  recentFailedRuns,
  runCounts,
  sendCounts,
  taskQueueBacklogSeconds,
} from './operational-counts.js';

/** A server's Prometheus metrics and how requests are counted into them. */
export interface ServerMetrics {
  registry: Registry;
  /** Counts one answered request; `route` is the route's template, never its actual path. */
  observeRequest: (request: {
    route: string;
    method: string;
    status: number;
    seconds: number;
  }) => void;
}

const byDeps = new WeakMap<ServerDeps, ServerMetrics>();

/** The metrics of a server (one registry per set of deps, so tests do not share counters). */
export function metricsOf(deps: ServerDeps): ServerMetrics {
  const known = byDeps.get(deps);
  if (known !== undefined) {
    return known;
  }
  const metrics = createMetrics(deps);
  byDeps.set(deps, metrics);
  return metrics;
}

// Labels are route templates, methods, status codes, Pathwell's own codes and protection
// methods: no label can carry a patient's id, address or anything read from a request.
function createMetrics(deps: ServerDeps): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pathwell_process_' });
  const requests = new Counter({
    name: 'pathwell_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status (webhooks included)',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pathwell_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template and method',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  registerStoreGauges(registry, deps);
  return {
    registry,
    observeRequest: ({ route, method, status, seconds }) => {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
  };
}

// Runs and sends are counted from PostgreSQL and Temporal at each scrape, so every server
// reports the same totals however many workers there are, and restarts lose nothing.
function registerStoreGauges(registry: Registry, deps: ServerDeps): void {
  const guarded = (name: string, read: () => Promise<void>) => async () => {
    try {
      await read();
    } catch (error) {
      warn(deps.log, name, error);
    }
  };
  new Gauge({
    name: 'pathwell_runs',
    help: 'Runs Pathwell recorded, by status (running, completed, cancelled) and outcome',
    labelNames: ['status', 'outcome'],
    registers: [registry],
    async collect() {
      this.reset();
      await guarded('pathwell_runs', async () => {
        for (const row of await runCounts(deps.pool)) {
          this.set({ status: row.status, outcome: row.outcome }, row.count);
        }
      })();
    },
  });
  new Gauge({
    name: 'pathwell_runs_failed_last_hour',
    help: 'Journey runs that failed in the last hour (alert on > 0); replay them',
    registers: [registry],
    async collect() {
      await guarded('pathwell_runs_failed_last_hour', async () => {
        this.set(await recentFailedRuns(deps.temporal));
      })();
    },
  });
  new Gauge({
    name: 'pathwell_sends',
    help: 'Deliveries in the ledger, by protection method and result',
    labelNames: ['method', 'result'],
    registers: [registry],
    async collect() {
      this.reset();
      await guarded('pathwell_sends', async () => {
        for (const row of await sendCounts(deps.pool)) {
          this.set({ method: row.method, result: row.result }, row.count);
        }
      })();
    },
  });
  new Gauge({
    name: 'pathwell_inbox_lag_seconds',
    help: 'Age of the oldest inbox event whose runs have not started yet',
    registers: [registry],
    async collect() {
      await guarded('pathwell_inbox_lag_seconds', async () => {
        this.set(await inboxLagSeconds(deps.pool));
      })();
    },
  });
  new Gauge({
    name: 'pathwell_task_queue_backlog_age_seconds',
    help: "Age of the oldest task waiting on Pathwell's task queue, by kind",
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      this.reset();
      await guarded('pathwell_task_queue_backlog_age_seconds', async () => {
        for (const age of await taskQueueBacklogSeconds(deps.temporal)) {
          this.set({ kind: age.kind }, age.seconds);
        }
      })();
    },
  });
}

function warn(log: Logger, metric: string, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  log.warn(
    { metric, code: typeof code === 'string' || typeof code === 'number' ? code : undefined },
    'Metric not collected',
  );
}
