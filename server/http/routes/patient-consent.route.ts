import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { PATIENT_PREFERENCES } from '../../../engine/protection/protection-inputs.js';
import { appendAudit } from '../../db/audit.store.js';
import {
  findConfidentialRequest,
  findPreference,
  findPrimaryContactPoint,
  recordConfidentialRequest,
  recordContactPoint,
  recordPreference,
  recordRestriction,
} from '../../db/consent.store.js';
import { findEmailOptOut, recordEmailOptOut } from '../../db/opt-outs.store.js';
import { type Queryable, withTransaction } from '../../db/pool.js';
import { addressHash } from '../../db/suppressions.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';

const PatientParams = z.object({ patientId: z.uuid() });
const Email = z.email().max(254);

const ContactPointBody = z.object({
  address: Email,
  source: z.enum(['patient', 'staff']),
  verifiedAt: z.iso.datetime({ offset: true }).optional(),
});
const PreferenceBody = z.object({
  preference: z.enum(PATIENT_PREFERENCES),
  acceptance: z
    .object({
      warningTextVersion: z.string().min(1),
      acceptedAt: z.iso.datetime({ offset: true }),
      method: z.enum(['web', 'signed', 'verbal']),
      staffId: z.string().min(1).optional(),
    })
    .optional(),
});
const ConfidentialBody = z.object({
  channel: z.enum(['email', 'postal', 'phone', 'portal']),
  address: Email.optional(),
  effectiveFrom: z.iso.datetime({ offset: true }).optional(),
});
const RestrictionBody = z.object({
  subjectType: z.string().regex(/^[A-Z][A-Za-z]+$/),
  subjectId: z.string().min(1).max(64),
  agreedAt: z.iso.datetime({ offset: true }).optional(),
});
const OptOutBody = z.object({ purpose: z.enum(['treatment', 'operations', 'marketing', 'all']) });

const PROBLEMS = {
  400: {
    description: 'Invalid request',
    contentType: 'application/problem+json',
    schema: ProblemSchema,
  },
  404: {
    description: 'No such patient',
    contentType: 'application/problem+json',
    schema: ProblemSchema,
  },
};

// Until access control lands every write is attributed to the API itself.
// TODO: access control (accounts, roles) gates these routes through `route.access` and puts
// the caller's id in `actorId`; until then do not expose the API beyond a machine you control.
const ACTOR = { actorId: 'api', actorType: 'user' as const };

/**
 * The patient's communication rights as the API records them: contact points, the email
 * preference (with the warning record that makes `unencrypted_accepted` count), confidential
 * communication requests, agreed restrictions and channel opt-outs. Every write is audited.
 */
export function patientConsentRoutes(deps: ServerDeps): Route[] {
  const write = <TSchema extends z.ZodType>(
    path: string,
    summary: string,
    body: TSchema,
    act: (
      db: Queryable,
      patientId: string,
      value: z.infer<TSchema>,
    ) => Promise<Record<string, unknown>>,
  ): Route => ({
    method: 'post',
    path: `/api/patients/:patientId/${path}`,
    summary,
    tags: ['consent'],
    access: 'api',
    request: { params: PatientParams, body },
    responses: { 201: { description: 'Recorded' }, ...PROBLEMS },
    handler: async (req, res) => {
      const { patientId } = parseRequest(PatientParams, req.params, 'params');
      const value = parseRequest(body, req.body, 'body');
      const result = await withTransaction(deps.pool, async (client) => {
        await assertPatient(client, patientId);
        const recorded = await act(client, patientId, value);
        await appendAudit(client, {
          ...ACTOR,
          action: `consent.${path}`,
          patientId,
          details: recorded,
        });
        return recorded;
      });
      res.status(201).json(result);
    },
  });

  return [
    write(
      'contact-points',
      'Record an email address for a patient (unverified unless verifiedAt)',
      ContactPointBody,
      async (db, patientId, value) => ({
        id: await recordContactPoint(db, deps.keyring, {
          patientId,
          ...value,
          recordedBy: ACTOR.actorId,
        }),
        addressHash: addressHash(deps.keyring, value.address),
        verified: value.verifiedAt !== undefined,
      }),
    ),
    write(
      'preferences',
      "Record a new version of the patient's email preference",
      PreferenceBody,
      async (db, patientId, value) => ({
        version: await recordPreference(db, {
          patientId,
          preference: value.preference,
          acceptance: value.acceptance,
          recordedBy: ACTOR.actorId,
        }),
        preference: value.preference,
      }),
    ),
    write(
      'confidential-requests',
      'Record a confidential-communication request (164.522(b))',
      ConfidentialBody,
      async (db, patientId, value) => ({
        id: await recordConfidentialRequest(db, deps.keyring, {
          patientId,
          channel: value.channel,
          address: value.address,
          effectiveFrom: value.effectiveFrom ?? new Date().toISOString(),
          recordedBy: ACTOR.actorId,
        }),
        channel: value.channel,
      }),
    ),
    write(
      'restrictions',
      'Record an agreed restriction on an EHR subject (164.522(a))',
      RestrictionBody,
      async (db, patientId, value) => ({
        id: await recordRestriction(db, {
          patientId,
          ...value,
          agreedAt: value.agreedAt ?? new Date().toISOString(),
          recordedBy: ACTOR.actorId,
        }),
        subject: `${value.subjectType}/${value.subjectId}`,
      }),
    ),
    write(
      'opt-outs',
      'Record that the patient wants no email for a purpose',
      OptOutBody,
      async (db, patientId, value) => {
        await recordEmailOptOut(db, patientId, value.purpose);
        return { purpose: value.purpose };
      },
    ),
    consentSummaryRoute(deps),
  ];
}

function consentSummaryRoute(deps: ServerDeps): Route {
  return {
    method: 'get',
    path: '/api/patients/:patientId/consent',
    summary: "The patient's consent records in force (addresses as keyed hashes only)",
    tags: ['consent'],
    access: 'api',
    request: { params: PatientParams },
    responses: { 200: { description: 'The records in force' }, ...PROBLEMS },
    handler: async (req, res) => {
      const { patientId } = parseRequest(PatientParams, req.params, 'params');
      await assertPatient(deps.pool, patientId);
      const now = new Date().toISOString();
      const contact = await findPrimaryContactPoint(deps.pool, deps.keyring, patientId);
      const confidential = await findConfidentialRequest(deps.pool, deps.keyring, patientId, now);
      const preference = await findPreference(deps.pool, patientId);
      const optOuts = await Promise.all(
        (['treatment', 'operations', 'marketing'] as const).map(async (purpose) => ({
          purpose,
          optedOut: (await findEmailOptOut(deps.pool, patientId, purpose)) !== undefined,
        })),
      );
      res.json({
        contactPoint:
          contact === undefined
            ? null
            : {
                id: contact.id,
                source: contact.source,
                verifiedAt: contact.verifiedAt ?? null,
                addressHash: addressHash(deps.keyring, contact.address),
              },
        confidentialRequest:
          confidential === undefined
            ? null
            : {
                id: confidential.id,
                channel: confidential.channel,
                effectiveFrom: confidential.effectiveFrom,
              },
        preference: preference ?? { preference: 'any' },
        optOuts,
      });
    },
  };
}

/** Refuses an unknown patient id with a 404. */
export async function assertPatient(db: Queryable, patientId: string): Promise<void> {
  const result = await db.query('SELECT 1 FROM patients WHERE id = $1', [patientId]);
  if (result.rowCount === 0) {
    throw new AppError(
      'patient_not_found',
      `No patient has id "${patientId}"; use the id Pathwell returned for the patient.`,
    );
  }
}
