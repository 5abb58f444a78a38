import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../../engine/errors/app-error.js';
import type { Config } from '../config/config.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Pool } from '../db/pool.js';
import { findSource, findSourceByToken, type Source } from '../db/sources.store.js';
import { RateLimiter } from './rate-limit.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** How far a signed request's timestamp may be from the server's clock, either way. */
export const SIGNATURE_WINDOW_SECONDS = 300;

// Sources change rarely; a short cache keeps a database round trip off every webhook request
// while a removed or rotated source stops working within seconds.
const SOURCE_CACHE_MS = 5_000;

/** Whether a request came from this machine (the socket's address, never a header). */
export function isLoopback(req: Request): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** Whether a socket address is this machine's. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return LOOPBACK.has(address ?? '');
}

/** The source name unsigned development posts are filed under. */
export const LOCAL_SOURCE = 'local';

/** What webhook authentication needs. */
export interface WebhookAccessDeps {
  pool: Pool;
  keyring: Keyring;
  config: Pick<Config, 'mode' | 'hookRateLimit'>;
}

/** Decides which registered source a webhook request comes from, or refuses it. */
export interface WebhookAccess {
  /**
   * @param req - the request, whose headers name the source and carry its proof
   * @param body - the raw body, exactly as received: the signature covers these bytes
   * @throws AppError 401 (`webhook_signature_required`, `webhook_signature_invalid`,
   *   `webhook_timestamp_stale`, `webhook_source_unknown`) or 429 `rate_limited`
   */
  authenticate: (req: Request, body: Buffer) => Promise<string>;
}

const instances = new WeakMap<object, WebhookAccess>();

/**
 * The webhook access check of one server (one per set of dependencies, so every webhook route
 * shares its source cache and rate limits).
 *
 * A request names its source in `X-Pathwell-Source` and proves it with `X-Pathwell-Timestamp`
 * (Unix seconds, within {@link SIGNATURE_WINDOW_SECONDS}) and `X-Pathwell-Signature:
 * sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, compared in constant time; a source that
 * cannot sign sends `Authorization: Bearer <token>` instead. Unsigned posts are accepted only in
 * development mode from this machine, as source `local`.
 */
export function webhookAccess(deps: WebhookAccessDeps): WebhookAccess {
  const existing = instances.get(deps);
  if (existing !== undefined) {
    return existing;
  }
  const cache = new Map<string, { source: Source | undefined; until: number }>();
  const limiter = new RateLimiter();
  const cached = async (key: string, load: () => Promise<Source | undefined>) => {
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > Date.now()) {
      return hit.source;
    }
    const source = await load();
    cache.set(key, { source, until: Date.now() + SOURCE_CACHE_MS });
    return source;
  };

  const access: WebhookAccess = {
    authenticate: async (req, body) => {
      const source = await identify(req, body, deps, cached);
      const limit = source?.rateLimitPerSecond ?? deps.config.hookRateLimit;
      const name = source?.name ?? LOCAL_SOURCE;
      if (!limiter.take(name, limit)) {
        throw new AppError(
          'rate_limited',
          `Source "${name}" sent more than ${limit} requests a second; slow down and retry after a second.`,
          { details: { retryAfterSeconds: 1 } },
        );
      }
      return name;
    },
  };
  instances.set(deps, access);
  return access;
}

type CachedLoad = (
  key: string,
  load: () => Promise<Source | undefined>,
) => Promise<Source | undefined>;

async function identify(
  req: Request,
  body: Buffer,
  deps: WebhookAccessDeps,
  cached: CachedLoad,
): Promise<Source | undefined> {
  const name = req.get('x-pathwell-source')?.trim();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

  if (name !== undefined && name !== '') {
    const source = await cached(`name:${name}`, () => findSource(deps.pool, deps.keyring, name));
    if (source === undefined) {
      throw new AppError(
        'webhook_source_unknown',
        `No source is registered as "${name.slice(0, 64)}"; register it with "pathwell sources add".`,
      );
    }
    if (source.kind === 'bearer') {
      const owner =
        bearer === undefined
          ? undefined
          : await cached(`token:${bearer}`, () =>
              findSourceByToken(deps.pool, deps.keyring, bearer),
            );
      if (owner?.name !== source.name) {
        throw new AppError(
          'webhook_signature_invalid',
          `Source "${source.name}" authenticates with its bearer token; the Authorization header does not carry it.`,
        );
      }
      return source;
    }
    verifySignature(req, body, source);
    return source;
  }

  if (bearer !== undefined) {
    const source = await cached(`token:${bearer}`, () =>
      findSourceByToken(deps.pool, deps.keyring, bearer),
    );
    if (source === undefined) {
      throw new AppError('webhook_source_unknown', 'No registered source has this bearer token.');
    }
    return source;
  }
  if (deps.config.mode === 'development' && isLoopback(req)) {
    return undefined;
  }
  throw new AppError(
    'webhook_signature_required',
    deps.config.mode === 'development'
      ? 'Sign the request (X-Pathwell-Source, X-Pathwell-Timestamp, X-Pathwell-Signature) or send a bearer token; unsigned posts are accepted from this machine only.'
      : 'Sign the request with your source secret (X-Pathwell-Source, X-Pathwell-Timestamp, X-Pathwell-Signature) or send its bearer token.',
  );
}

function verifySignature(req: Request, body: Buffer, source: Source): void {
  const timestamp = req.get('x-pathwell-timestamp')?.trim() ?? '';
  const signature = req.get('x-pathwell-signature')?.trim() ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || !signature.startsWith('sha256=')) {
    throw new AppError(
      'webhook_signature_required',
      `Source "${source.name}" signs its requests: send X-Pathwell-Timestamp (Unix seconds) and X-Pathwell-Signature: sha256=<hex>.`,
    );
  }
  const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (skew > SIGNATURE_WINDOW_SECONDS) {
    throw new AppError(
      'webhook_timestamp_stale',
      `X-Pathwell-Timestamp is ${Math.round(skew)} s from the server's clock; sign with the current time (within ${SIGNATURE_WINDOW_SECONDS} s) and check the sender's clock.`,
    );
  }
  const expected = createHmac('sha256', source.secret ?? Buffer.alloc(0))
    .update(`${timestamp}.`)
    .update(body)
    .digest();
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError(
      'webhook_signature_invalid',
      `The signature does not match: sign "<timestamp>.<body>" (the exact bytes sent) with HMAC-SHA256 and source "${source.name}"'s secret.`,
    );
  }
}
