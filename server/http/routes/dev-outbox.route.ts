import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { DevOutbox, OutboxMessageSchema } from '../../embedded/dev-outbox.js';
import type { ServerDeps } from '../../server-deps.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { isLoopback } from '../webhook-access.js';

/** `GET /api/dev/outbox`: what the development SMTP sink received, oldest first. */
export function devOutboxRoute(deps: ServerDeps): Route {
  const outbox = new DevOutbox(deps.config.dataDir);
  return {
    method: 'get',
    path: '/api/dev/outbox',
    summary: 'List the messages the development SMTP sink received (development, loopback only)',
    tags: ['development'],
    access: 'dev_loopback',
    responses: {
      200: { description: 'Every message, oldest first', schema: z.array(OutboxMessageSchema) },
      403: {
        description: 'Not development mode, or not from this machine',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    handler: async (req, res) => {
      // The outbox holds whole messages in clear: it exists only for development, on this machine.
      if (deps.config.mode !== 'development' || !isLoopback(req)) {
        throw new AppError(
          'loopback_only',
          'The development outbox answers in development mode, from this machine only.',
        );
      }
      res.json(outbox.list());
    },
  };
}
