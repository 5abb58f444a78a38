import { z } from 'zod';
import { missingElements } from '../../../engine/consent/authorization.js';
import { AppError } from '../../../engine/errors/app-error.js';
import { appendAudit } from '../../db/audit.store.js';
import {
  authorizationHistory,
  listAuthorizations,
  recordAuthorization,
  recordRevocation,
} from '../../db/authorizations.store.js';
import { withTransaction } from '../../db/pool.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { assertPatient } from './patient-consent.route.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write a date as YYYY-MM-DD');
const Instant = z.iso.datetime({ offset: true });

/** A marketing authorization as the organisation recorded it (45 CFR 164.508(c)). */
export const AuthorizationDocumentSchema = z.object({
  description: z.string().max(2_000),
  disclosedBy: z.string().max(500),
  recipient: z.string().max(500),
  programs: z.array(z.string().min(1).max(64)).max(50),
  sponsors: z.array(z.string().min(1).max(100)).max(50).default([]),
  expiresOn: Day.optional(),
  expiresOnEvent: z.string().min(1).max(100).optional(),
  expirationEventOccurredAt: Instant.optional(),
  signedAt: Instant,
  remunerationDisclosed: z.boolean(),
  statements: z.object({
    rightToRevoke: z.boolean(),
    conditioning: z.boolean(),
    redisclosure: z.boolean(),
  }),
});
const CreateBody = AuthorizationDocumentSchema.extend({ patientId: z.uuid() });
const IdParams = z.object({ id: z.uuid() });
const PatientParams = z.object({ patientId: z.uuid() });
const RevokeBody = z.object({
  revokedAt: Instant.optional(),
  method: z.enum(['written', 'portal', 'email', 'verbal']),
});

const PROBLEM = { contentType: 'application/problem+json', schema: ProblemSchema };
const ACTOR = { actorId: 'api', actorType: 'user' as const };

/**
 * Marketing authorizations as immutable versions, their revocations, and the refusal to
 * delete either (retained six years, COMPLIANCE.md AC-AUTH-6). A recorded authorization that
 * lacks a required element is kept as recorded and reported, so the gap is visible; the send
 * decision treats it as defective.
 *
 * TODO: access control gates these routes (route.access) and names the caller as actor.
 */
export function authorizationRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/authorizations',
      summary: 'Record a marketing authorization (version 1)',
      tags: ['consent'],
      access: 'api',
      request: { body: CreateBody },
      responses: {
        201: { description: 'Recorded, with the elements it lacks' },
        400: { description: 'Invalid', ...PROBLEM },
        404: { description: 'No such patient', ...PROBLEM },
      },
      handler: async (req, res) => {
        const { patientId, ...document } = parseRequest(CreateBody, req.body, 'body');
        const recorded = await withTransaction(deps.pool, async (client) => {
          await assertPatient(client, patientId);
          const saved = await recordAuthorization(client, {
            patientId,
            document,
            recordedBy: ACTOR.actorId,
          });
          await appendAudit(client, {
            ...ACTOR,
            action: 'authorization.record',
            patientId,
            details: { authorizationId: saved.id, version: saved.version },
          });
          return saved;
        });
        res
          .status(201)
          .json({ ...recorded, missing: missingElements({ ...document, ...recorded, patientId }) });
      },
    },
    {
      method: 'post',
      path: '/api/authorizations/:id/versions',
      summary: 'Record a new version of an authorization (a correction, or its expiration event)',
      tags: ['consent'],
      access: 'api',
      request: { params: IdParams, body: AuthorizationDocumentSchema },
      responses: {
        201: { description: 'Recorded' },
        404: { description: 'No such authorization', ...PROBLEM },
      },
      handler: async (req, res) => {
        const { id } = parseRequest(IdParams, req.params, 'params');
        const document = parseRequest(AuthorizationDocumentSchema, req.body, 'body');
        const history = await authorizationHistory(deps.pool, id);
        const patientId = history[0]?.patientId;
        if (patientId === undefined) {
          throw new AppError('authorization_not_found', `No authorization has id "${id}".`);
        }
        const saved = await withTransaction(deps.pool, async (client) => {
          const version = await recordAuthorization(client, {
            id,
            patientId,
            document,
            recordedBy: ACTOR.actorId,
          });
          await appendAudit(client, {
            ...ACTOR,
            action: 'authorization.record',
            patientId,
            details: { authorizationId: id, version: version.version },
          });
          return version;
        });
        res
          .status(201)
          .json({ ...saved, missing: missingElements({ ...document, ...saved, patientId }) });
      },
    },
    {
      method: 'post',
      path: '/api/authorizations/:id/revocation',
      summary: 'Record the revocation of an authorization; later marketing sends are blocked',
      tags: ['consent'],
      access: 'api',
      request: { params: IdParams, body: RevokeBody },
      responses: {
        201: { description: 'Revoked' },
        200: { description: 'Already revoked' },
        404: { description: 'No such authorization', ...PROBLEM },
      },
      handler: async (req, res) => {
        const { id } = parseRequest(IdParams, req.params, 'params');
        const body = parseRequest(RevokeBody, req.body, 'body');
        const history = await authorizationHistory(deps.pool, id);
        const patientId = history[0]?.patientId;
        if (patientId === undefined) {
          throw new AppError('authorization_not_found', `No authorization has id "${id}".`);
        }
        const revokedAt = body.revokedAt ?? new Date().toISOString();
        const isNew = await withTransaction(deps.pool, async (client) => {
          const recorded = await recordRevocation(client, {
            authorizationId: id,
            revokedAt,
            method: body.method,
            recordedBy: ACTOR.actorId,
          });
          await appendAudit(client, {
            ...ACTOR,
            action: 'authorization.revoke',
            patientId,
            details: { authorizationId: id, revokedAt, method: body.method, isNew: recorded },
          });
          return recorded;
        });
        res.status(isNew ? 201 : 200).json({ authorizationId: id, revokedAt, isNew });
      },
    },
    {
      method: 'get',
      path: '/api/patients/:patientId/authorizations',
      summary: "A patient's authorizations: the newest version of each, with revocations",
      tags: ['consent'],
      access: 'api',
      request: { params: PatientParams },
      responses: { 200: { description: 'The authorizations' } },
      handler: async (req, res) => {
        const { patientId } = parseRequest(PatientParams, req.params, 'params');
        res.json(await listAuthorizations(deps.pool, patientId));
      },
    },
    {
      method: 'delete',
      path: '/api/authorizations/:id',
      summary: 'Always refused: authorizations are retained (the attempt is audited)',
      tags: ['consent'],
      access: 'api',
      request: { params: IdParams },
      responses: { 409: { description: 'Retained', ...PROBLEM } },
      handler: async (req) => {
        const { id } = parseRequest(IdParams, req.params, 'params');
        await appendAudit(deps.pool, {
          ...ACTOR,
          action: 'authorization.delete',
          decision: 'blocked',
          reason: 'authorization_retained',
          details: { authorizationId: id },
        });
        throw new AppError(
          'authorization_retained',
          `Authorization "${id}" is retained for six years after it was last in effect; record a revocation instead.`,
        );
      },
    },
  ];
}
