import type { Request } from 'express';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether a request came from this machine (the socket's address, never a header). */
export function isLoopback(req: Request): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** The source name unsigned development posts are filed under. */
export const LOCAL_SOURCE = 'local';

/**
 * Decides which source a webhook post comes from, or refuses it.
 *
 * TODO: signed posts from registered sources (X-Pathwell-Source, X-Pathwell-Signature,
 * X-Pathwell-Timestamp) and bearer tokens arrive with EHR ingestion. Until then only unsigned
 * posts from this machine in development mode are accepted; everything else is refused.
 *
 * @throws AppError `webhook_signature_required` (401)
 */
export function webhookSource(req: Request, config: Config): string {
  if (config.mode === 'development' && isLoopback(req)) {
    return LOCAL_SOURCE;
  }
  throw new AppError(
    'webhook_signature_required',
    config.mode === 'development'
      ? 'Unsigned webhook posts are accepted from this machine only, in development mode.'
      : 'Webhook posts must be signed by a registered source; signed sources are not configurable yet.',
  );
}
