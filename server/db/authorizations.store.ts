import { randomUUID } from 'node:crypto';
import type { MarketingAuthorization } from '../../engine/consent/authorization.js';
import type { Queryable } from './pool.js';

/** What a recorded authorization version holds (its id, version and patient come apart). */
export type AuthorizationDocument = Omit<
  MarketingAuthorization,
  'id' | 'version' | 'patientId' | 'revocation'
>;

/**
 * Records an authorization as a new immutable version: a new one when `id` is absent, the
 * next version of `id` (a correction, or the expiration event becoming known) otherwise.
 */
export async function recordAuthorization(
  db: Queryable,
  entry: { id?: string; patientId: string; document: AuthorizationDocument; recordedBy: string },
): Promise<{ id: string; version: number }> {
  const id = entry.id ?? randomUUID();
  const result = await db.query<{ version: number }>(
    `INSERT INTO marketing_authorizations (id, version, patient_id, document, recorded_by)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4
       FROM marketing_authorizations WHERE id = $1
     RETURNING version`,
    [id, entry.patientId, JSON.stringify(entry.document), entry.recordedBy],
  );
  return { id, version: result.rows[0]?.version ?? 1 };
}

/** Records a revocation; a second one for the same authorization keeps the first. */
export async function recordRevocation(
  db: Queryable,
  revocation: { authorizationId: string; revokedAt: string; method: string; recordedBy: string },
): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO authorization_revocations (authorization_id, revoked_at, method, recorded_by)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [revocation.authorizationId, revocation.revokedAt, revocation.method, revocation.recordedBy],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The newest version of each of a patient's authorizations, with any revocation. */
export async function listAuthorizations(
  db: Queryable,
  patientId: string,
): Promise<MarketingAuthorization[]> {
  const result = await db.query<{
    id: string;
    version: number;
    patient_id: string;
    document: AuthorizationDocument;
    revoked_at: Date | null;
    method: string | null;
  }>(
    `SELECT DISTINCT ON (a.id) a.id, a.version, a.patient_id, a.document, r.revoked_at, r.method
     FROM marketing_authorizations a
     LEFT JOIN authorization_revocations r ON r.authorization_id = a.id
     WHERE a.patient_id = $1 ORDER BY a.id, a.version DESC`,
    [patientId],
  );
  return result.rows.map((row) => ({
    ...row.document,
    id: row.id,
    version: row.version,
    patientId: row.patient_id,
    ...(row.revoked_at === null
      ? {}
      : { revocation: { revokedAt: row.revoked_at.toISOString(), method: row.method ?? '' } }),
  }));
}

/** Every version of one authorization, oldest first (the retained record). */
export async function authorizationHistory(
  db: Queryable,
  id: string,
): Promise<Array<{ version: number; patientId: string; recordedAt: string; recordedBy: string }>> {
  const result = await db.query<{
    version: number;
    patient_id: string;
    recorded_at: Date;
    recorded_by: string;
  }>(
    `SELECT version, patient_id, recorded_at, recorded_by FROM marketing_authorizations
     WHERE id = $1 ORDER BY version`,
    [id],
  );
  return result.rows.map((row) => ({
    version: row.version,
    patientId: row.patient_id,
    recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by,
  }));
}
