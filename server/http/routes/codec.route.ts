import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { EncryptionCodec } from '../../temporal/payload-codec.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { isLoopback } from '../webhook-access.js';

const PayloadJson = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
const CodecBody = z.object({ payloads: z.array(PayloadJson).max(1_000) });

/**
 * Temporal's codec-server protocol (`POST /api/codec/decode` and `/encode`, payloads as JSON
 * with base64 bytes), so the Temporal UI can show operators decoded payloads.
 *
 * TODO: the codec endpoint returns plaintext PHI, so it must be authenticated (a session or a
 * scoped token from the access-control work, COMPLIANCE.md AC-PHI-6). Until that lands it
 * answers only in development mode, only from this machine, and only to the configured UI
 * origin (PATHWELL_CODEC_CORS_ORIGIN).
 */
export function codecRoutes(deps: ServerDeps): Route[] {
  const codec = new EncryptionCodec(deps.keyring);
  const responses = {
    200: { description: 'The payloads, transformed', schema: CodecBody },
    403: {
      description: 'Not development mode, not from this machine, or another origin',
      contentType: 'application/problem+json',
      schema: ProblemSchema,
    },
  };
  const route = (direction: 'encode' | 'decode'): Route => ({
    method: 'post',
    path: `/api/codec/${direction}`,
    summary: `${direction === 'decode' ? 'Decrypt' : 'Encrypt'} Temporal payloads for the Temporal UI (development, loopback only)`,
    tags: ['development'],
    access: 'dev_loopback',
    request: { body: CodecBody },
    responses,
    handler: async (req, res) => {
      assertCodecCaller(deps, req, res);
      const { payloads } = parseRequest(CodecBody, req.body, 'body');
      const input = payloads.map((payload) => ({
        metadata: Object.fromEntries(
          Object.entries(payload.metadata ?? {}).map(([key, value]) => [
            key,
            Buffer.from(value, 'base64'),
          ]),
        ),
        data: Buffer.from(payload.data ?? '', 'base64'),
      }));
      const output = direction === 'decode' ? await codec.decode(input) : await codec.encode(input);
      res.json({
        payloads: output.map((payload) => ({
          metadata: Object.fromEntries(
            Object.entries(payload.metadata ?? {}).map(([key, value]) => [
              key,
              Buffer.from(value).toString('base64'),
            ]),
          ),
          data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
        })),
      });
    },
  });
  const preflight = (direction: 'encode' | 'decode'): Route => ({
    method: 'options',
    path: `/api/codec/${direction}`,
    summary: 'CORS preflight for the Temporal UI',
    tags: ['development'],
    access: 'dev_loopback',
    responses: { 204: { description: 'Allowed' }, 403: responses[403] },
    handler: async (req, res) => {
      assertCodecCaller(deps, req, res);
      res.status(204).end();
    },
  });
  return [route('decode'), route('encode'), preflight('decode'), preflight('encode')];
}

function assertCodecCaller(deps: ServerDeps, req: Request, res: Response): void {
  const origin = req.headers.origin;
  const allowed = deps.config.compliance.codecCorsOrigin;
  if (
    deps.config.mode !== 'development' ||
    !isLoopback(req) ||
    (origin !== undefined && origin !== allowed)
  ) {
    throw new AppError(
      'loopback_only',
      'The codec endpoint answers in development mode, from this machine and the configured Temporal UI origin only.',
    );
  }
  res.set({
    'Access-Control-Allow-Origin': allowed,
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Allow-Headers': 'content-type,x-namespace',
    Vary: 'Origin',
  });
}
