import { z } from 'zod';
import { checkRecipientKey, readPublicKey } from '../../../activities/pgp/recipient-key.js';
import { appendAudit } from '../../db/audit.store.js';
import { findPrimaryContactPoint } from '../../db/consent.store.js';
import { listPgpKeys, recordPgpKey } from '../../db/pgp-keys.store.js';
import { loadPatient } from '../../db/patients.store.js';
import { withTransaction } from '../../db/pool.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';
import { assertPatient } from './patient-consent.route.js';

const PatientParams = z.object({ patientId: z.uuid() });
const KeyBody = z.object({ armoredKey: z.string().min(100).max(200_000) });
const PROBLEM = { contentType: 'application/problem+json', schema: ProblemSchema };
// TODO: access control names the caller (staff, or the patient through a portal session).
const ACTOR = { actorId: 'api', actorType: 'user' as const };

/**
 * Patients' OpenPGP public keys (COMPLIANCE.md §1.6): register one, list them. The answer says
 * whether the key is usable for the patient's current address now (AC-PGP-1); a key that is not
 * is still stored, because the address or the key may change, and every send checks again.
 */
export function pgpKeyRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/patients/:patientId/pgp-keys',
      summary: "Register a patient's OpenPGP public key (ASCII armor)",
      tags: ['consent'],
      access: 'api',
      request: { params: PatientParams, body: KeyBody },
      responses: {
        201: { description: 'Registered, with whether it is usable now' },
        400: { description: 'Invalid request', ...PROBLEM },
        404: { description: 'No such patient', ...PROBLEM },
        422: { description: 'Not an OpenPGP public key', ...PROBLEM },
      },
      handler: async (req, res) => {
        const { patientId } = parseRequest(PatientParams, req.params, 'params');
        const { armoredKey } = parseRequest(KeyBody, req.body, 'body');
        await assertPatient(deps.pool, patientId);
        const key = await readPublicKey(armoredKey);
        const address = await currentAddress(deps, patientId);
        const check =
          address === undefined ? undefined : await checkRecipientKey(key, address, new Date());
        const id = await withTransaction(deps.pool, async (client) => {
          const recorded = await recordPgpKey(client, deps.keyring, {
            patientId,
            key,
            recordedBy: ACTOR.actorId,
          });
          await appendAudit(client, {
            ...ACTOR,
            action: 'consent.pgp-keys',
            patientId,
            details: { keyId: recorded, fingerprint: key.fingerprint },
          });
          return recorded;
        });
        res.status(201).json({ id, fingerprint: key.fingerprint, check: check ?? null });
      },
    },
    {
      method: 'get',
      path: '/api/patients/:patientId/pgp-keys',
      summary: "The patient's registered keys, newest first (fingerprints only)",
      tags: ['consent'],
      access: 'api',
      request: { params: PatientParams },
      responses: {
        200: { description: 'The keys' },
        404: { description: 'No such patient', ...PROBLEM },
      },
      handler: async (req, res) => {
        const { patientId } = parseRequest(PatientParams, req.params, 'params');
        await assertPatient(deps.pool, patientId);
        res.json(await listPgpKeys(deps.pool, patientId));
      },
    },
  ];
}

async function currentAddress(deps: ServerDeps, patientId: string): Promise<string | undefined> {
  const recorded = await findPrimaryContactPoint(deps.pool, deps.keyring, patientId);
  return recorded?.address ?? (await loadPatient(deps.pool, deps.keyring, patientId))?.email;
}
