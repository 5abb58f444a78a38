import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppError, isAppError } from '../../engine/errors/app-error.js';
import { errorFacts } from '../log/logger.js';
import { metricsOf, type ServerMetrics } from '../metrics/metrics.js';
import type { ServerDeps } from '../server-deps.js';
import { accessGuard } from './access-guard.js';
import { buildOpenApi } from './openapi.js';
import { problemOf, sendProblem } from './problem.js';
import type { Route } from './route.js';
import { apiTokenRoutes } from './routes/api-tokens.route.js';
import { auditRoutes } from './routes/audit.route.js';
import { authRoutes } from './routes/auth.route.js';
import { breakGlassRoutes } from './routes/break-glass.route.js';
import { authorizationRoutes } from './routes/authorizations.route.js';
import { bounceRoutes } from './routes/bounces.route.js';
import { bulkReplayRoutes } from './routes/bulk-replay.route.js';
import { codecRoutes } from './routes/codec.route.js';
import { devOutboxRoute } from './routes/dev-outbox.route.js';
import { eventsRoute } from './routes/events.route.js';
import { fhirHookRoute } from './routes/fhir-hook.route.js';
import { healthRoute, readinessRoute } from './routes/health.route.js';
import { metricsRoute } from './routes/metrics.route.js';
import { patientConsentRoutes } from './routes/patient-consent.route.js';
import { pgpKeyRoutes } from './routes/pgp-keys.route.js';
import { mfaRoutes } from './routes/mfa.route.js';
import { passkeyRoutes } from './routes/passkeys.route.js';
import { portalRoutes } from './routes/portal.route.js';
import { setupRoutes } from './routes/setup.route.js';
import { suppressionRoutes } from './routes/suppressions.route.js';
import { templateLintRoute } from './routes/template-lint.route.js';
import { unsubscribePageRoute, unsubscribeRoute } from './routes/unsubscribe.route.js';
import { userRoutes } from './routes/users.route.js';
import { journeyPublishRoutes } from './routes/journey-publish.route.js';
import { journeyRunsRoute } from './routes/journey-runs.route.js';
import { journeySimulateRoute } from './routes/journey-simulate.route.js';
import { journeyToolRoutes } from './routes/journey-tools.route.js';
import { journeyImportRoute, journeyRoutes } from './routes/journeys.route.js';
import { hl7HookRoute } from './routes/hl7-hook.route.js';
import { reportRoutes } from './routes/reports.route.js';
import { runRoutes } from './routes/runs.route.js';
import { verifyAddressRoutes } from './routes/verify-address.route.js';
import { simulatorSamplesRoute } from './routes/simulator-samples.route.js';
import { mountBuilderUi } from './static-ui.js';

/** Webhook bodies up to this size are taken; a Synthea patient history is about 900 KB. */
export const WEBHOOK_BODY_LIMIT = '10mb';

/** Every route the server answers, in one list: registration and OpenAPI both read it. */
export function routesOf(deps: ServerDeps): Route[] {
  return [
    healthRoute(),
    readinessRoute(deps),
    metricsRoute(deps),
    fhirHookRoute(deps),
    devOutboxRoute(deps),
    // Compliance core.
    ...patientConsentRoutes(deps),
    ...authorizationRoutes(deps),
    ...suppressionRoutes(deps),
    unsubscribePageRoute(deps),
    unsubscribeRoute(deps),
    ...portalRoutes(deps),
    ...auditRoutes(deps),
    ...codecRoutes(deps),
    // Journeys, the builder's tools, simulation, manual runs and the events API. The fixed
    // paths (/api/journeys/schema, …) come before /api/journeys/:id, which would match them.
    ...journeyToolRoutes(deps),
    journeyImportRoute(deps),
    ...journeyRoutes(deps),
    ...journeyPublishRoutes(deps),
    journeySimulateRoute(deps),
    simulatorSamplesRoute(deps),
    journeyRunsRoute(deps),
    eventsRoute(deps),
    // EHR ingestion
    hl7HookRoute(deps),
    // Compliance core, part two (PGP keys, bounces, address verification).
    ...pgpKeyRoutes(deps),
    ...bounceRoutes(deps),
    templateLintRoute(deps),
    ...verifyAddressRoutes(deps),
    // Access control: sign-in and sessions, setup links, users, API tokens.
    ...authRoutes(deps),
    ...mfaRoutes(deps),
    ...passkeyRoutes(deps),
    ...breakGlassRoutes(deps),
    ...setupRoutes(deps),
    ...userRoutes(deps),
    ...apiTokenRoutes(deps),
    // Operations: runs (the bulk paths are fixed, so they come first).
    ...bulkReplayRoutes(deps),
    ...runRoutes(deps),
    ...reportRoutes(deps),
  ];
}

/**
 * Assembles the Express app: routes from {@link routesOf}, the OpenAPI document, the builder
 * UI, and one error handler that answers RFC 9457 problems.
 */
export function initApp(deps: ServerDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  const routes = routesOf(deps);
  const metrics = metricsOf(deps);

  for (const route of routes) {
    const parse = route.isRawBody
      ? express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT })
      : express.json({ limit: route.bodyLimit ?? '1mb' });
    const observe = observed(metrics, route);
    app[route.method](
      route.path,
      observe,
      // The access check runs before the body is read: a refused caller costs no parsing.
      accessGuard(deps, route),
      parse,
      (req: Request, res: Response, next: NextFunction) => {
        route.handler(req, res).catch(next);
      },
    );
  }
  const openApi = buildOpenApi([...routes, openApiRouteSpec()], {
    version: process.env.npm_package_version ?? '0.1.0',
    serverUrl: deps.config.publicUrl,
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api', (_req, _res, next) =>
    next(
      new AppError(
        'route_not_found',
        'No API route matches this method and path; see /api/openapi.json.',
      ),
    ),
  );
  mountBuilderUi(app);
  app.use(errorHandler(deps));
  return app;
}

/** Stops taking connections and waits for the ones in flight. */
export async function shutdownApp(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

// helmet's headers on every answer; the builder UI's policy allows only its own scripts, styles
// and API. Server-rendered pages (portal, unsubscribe, setup) set a stricter policy of their own.
function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

// Counted under the route's template (`/m/:token`), never the path a caller sent.
function observed(metrics: ServerMetrics, route: Route) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      metrics.observeRequest({
        route: route.path,
        method: route.method,
        status: res.statusCode,
        seconds: Number(process.hrtime.bigint() - start) / 1e9,
      });
    });
    next();
  };
}

function openApiRouteSpec(): Route {
  return {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    tags: ['meta'],
    access: 'public',
    responses: { 200: { description: 'The OpenAPI 3.1 document' } },
    handler: async () => undefined,
  };
}

function errorHandler(deps: ServerDeps) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError = fromBodyParser(error) ?? error;
    const problem = problemOf(appError);
    if (!isAppError(appError) || appError.kind === 'unexpected') {
      deps.log.error(
        { method: req.method, path: routePath(req), ...errorFacts(appError) },
        'Request failed',
      );
    } else {
      deps.log.info(
        {
          method: req.method,
          path: routePath(req),
          code: problem.code,
          status: problem.status,
        },
        'Request refused',
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, problem);
  };
}

// express's body parsers throw http-errors with a `type`; they become Pathwell's codes here.
function fromBodyParser(error: unknown): AppError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: unknown }).limit;
    return new AppError(
      'body_too_large',
      typeof limit === 'number' && limit < 10 * 1024 * 1024
        ? `The body is over ${limit} bytes, the most this route takes.`
        : `The body is over ${WEBHOOK_BODY_LIMIT}; split a large Bundle into smaller ones.`,
    );
  }
  if (type === 'entity.parse.failed') {
    return new AppError('body_malformed_json', 'The body is not valid JSON.');
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'The body must be UTF-8 encoded.');
  }
  return undefined;
}

function routePath(req: Request): string {
  return (req.route as { path?: string } | undefined)?.path ?? req.path;
}
