import { z } from 'zod';
import { ingestDsn } from '../../bounces/ingest-dsn.js';
import type { ServerDeps } from '../../server-deps.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { webhookAccess } from '../webhook-access.js';
import { authenticateOrRefuse } from './hook-auth.js';

const PROBLEM = { contentType: 'application/problem+json', schema: ProblemSchema };
const Answer = z.object({ status: z.enum(['processed', 'quarantined']) }).loose();

/**
 * Delivery status notifications posted by a relay or a mailbox forwarder (RFC 3464). The body
 * is the whole report as received (`message/rfc822`, or the `multipart/report` itself).
 *
 * TODO: like the FHIR webhook, this accepts unsigned posts only from this machine in
 * development; signed sources (EHR ingestion's work) will let a relay's bounce mailbox post
 * here in production, and a mailbox reader for the Return-Path is not built.
 */
export function bounceRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/hooks/bounces',
      summary: 'Post a delivery status notification (RFC 3464)',
      tags: ['hooks'],
      access: 'integration',
      isRawBody: true,
      request: { contentTypes: ['message/rfc822', 'multipart/report', 'text/plain'] },
      responses: {
        202: { description: 'Processed or quarantined', schema: Answer },
        401: { description: 'Not signed (or not from this machine)', ...PROBLEM },
      },
      handler: async (req, res) => {
        // Registered sources (a relay posting its DSNs signs like an EHR does).
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        await authenticateOrRefuse(webhookAccess(deps), req, res, raw);
        res.status(202).json(await ingestDsn(deps, raw));
      },
    },
  ];
}
