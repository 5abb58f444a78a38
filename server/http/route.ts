import type { Request, Response } from 'express';
import type { z } from 'zod';

/** Who may call a route. Access control refines this; until it lands, these are the doors. */
export type RouteAccess =
  /** Anyone (health checks). */
  | 'public'
  /** Development mode, from this machine only (the outbox). */
  | 'dev_loopback'
  /** An EHR or integration engine (webhooks); unsigned only in development from loopback. */
  | 'integration'
  /** Anyone who can reach the API (until access control lands). */
  | 'api';

/** One documented response of a route. */
export interface RouteResponse {
  description: string;
  contentType?: string;
  schema?: z.ZodType;
}

/**
 * One route: what it takes, what it answers, who may call it, and its handler. The server
 * registers routes from this list and `/api/openapi.json` is generated from the same list and
 * the same zod schemas the handlers validate with.
 */
export interface Route {
  method: 'get' | 'post' | 'put' | 'delete' | 'options';
  /** Express path syntax (`/api/journeys/:id`). */
  path: string;
  summary: string;
  tags: string[];
  access: RouteAccess;
  request?: {
    contentTypes?: string[];
    body?: z.ZodType;
    params?: z.ZodObject;
    query?: z.ZodObject;
  };
  responses: Record<number, RouteResponse>;
  /** Reads the raw body itself (webhooks parse by content type) instead of the JSON parser. */
  isRawBody?: boolean;
  /** The largest JSON body the route takes, e.g. `5mb`; `1mb` when not set. */
  bodyLimit?: string;
  handler: (req: Request, res: Response) => Promise<void>;
}
