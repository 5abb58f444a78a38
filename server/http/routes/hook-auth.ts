import type { Request, Response } from 'express';
import { isAppError } from '../../../engine/errors/app-error.js';
import type { WebhookAccess } from '../webhook-access.js';

/**
 * Authenticates a webhook request; on a rate-limit refusal the answer also says when to retry
 * (`Retry-After`), as HTTP 429 asks.
 */
export async function authenticateOrRefuse(
  access: WebhookAccess,
  req: Request,
  res: Response,
  raw: Buffer,
): Promise<string> {
  try {
    return await access.authenticate(req, raw);
  } catch (error) {
    if (isAppError(error) && error.code === 'rate_limited') {
      res.setHeader('retry-after', String(Number(error.details?.retryAfterSeconds ?? 1)));
    }
    throw error;
  }
}
