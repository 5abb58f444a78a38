import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { ingestHl7 } from '../../ingest/ingest-hl7.js';
import type { ServerDeps } from '../../server-deps.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { webhookAccess } from '../webhook-access.js';
import { authenticateOrRefuse } from './hook-auth.js';

/** The content types an HL7 v2 (ER7) body may be posted as. */
export const HL7_TYPES = ['text/plain', 'application/hl7-v2', 'x-application/hl7-v2+er7'];

const AckSchema = z.string().describe('An HL7 v2 ACK (segments end in CR): MSA-1 AA, AE or AR');

/** `POST /api/hooks/hl7`: HL7 v2 messages and batches, answered with HL7 acknowledgments. */
export function hl7HookRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/hooks/hl7',
    summary: 'Take in an HL7 v2 message or batch (ER7); answer each message with an HL7 ACK',
    tags: ['hooks'],
    access: 'integration',
    isRawBody: true,
    request: { contentTypes: HL7_TYPES, body: z.string() },
    responses: {
      200: {
        description: 'Every message accepted: MSA-1 AA',
        contentType: 'application/hl7-v2',
        schema: AckSchema,
      },
      400: {
        description: 'A message refused: MSA-1 AE or AR, with an ERR segment naming the field',
        contentType: 'application/hl7-v2',
        schema: AckSchema,
      },
      401: {
        description: 'Not signed, or not from an allowed place',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      413: {
        description: 'Body over 10 MB',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      415: {
        description: 'Not an HL7 v2 content type',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
      429: {
        description: 'The source sent too many requests; retry after Retry-After seconds',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    handler: async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const source = await authenticateOrRefuse(webhookAccess(deps), req, res, raw);
      const type = hl7ContentType(req);

      // TODO: MSH-18 (character set) is not read: bodies are decoded as UTF-8, so a sender using
      // ISO 8859-1 loses its accented letters. Reading MSH-18 before decoding would remove this.
      const outcome = await ingestHl7(deps, source, raw.toString('utf8'));

      res
        .status(outcome.isAccepted ? 200 : 400)
        .type(type === 'text/plain' ? 'text/plain; charset=utf-8' : type)
        .send(outcome.text);
    },
  };
}

function hl7ContentType(req: Request): string {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!HL7_TYPES.includes(type)) {
    throw new AppError(
      'unsupported_media_type',
      `Content-Type "${type || '(none)'}" is not accepted; send HL7 v2 as ${HL7_TYPES.join(', ')}.`,
    );
  }
  return type;
}
