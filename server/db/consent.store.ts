import { randomUUID } from 'node:crypto';
import type { AddressSource, ContactAddress } from '../../engine/consent/decide-consent.js';
import type {
  PatientPreference,
  UnencryptedAcceptance,
} from '../../engine/protection/protection-inputs.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const ADDRESS_CONTEXT = 'contact_points.address';
const CONFIDENTIAL_CONTEXT = 'confidential_requests.address';

/** A contact point as recorded: the address is decrypted only for the send that uses it. */
export interface ContactPointRecord extends ContactAddress {
  id: string;
  isPrimary: boolean;
  createdAt: string;
}

/**
 * Records an email address for a patient, or marks a known one verified. A new address starts
 * unverified unless `verifiedAt` is given (a staff member who checked it).
 */
export async function recordContactPoint(
  db: Queryable,
  keyring: Keyring,
  point: {
    patientId: string;
    address: string;
    /** `ehr` only for an EHR-supplied address the patient has verified (AC-PAT-1). */
    source: AddressSource;
    verifiedAt?: string | undefined;
    recordedBy: string;
  },
): Promise<string> {
  const address = point.address.trim();
  const result = await db.query<{ id: string }>(
    `INSERT INTO contact_points (id, patient_id, channel, address, address_hash, source,
       verified_at, recorded_by)
     VALUES ($1, $2, 'email', $3, $4, $5, $6, $7)
     ON CONFLICT (patient_id, address_hash) DO UPDATE SET
       verified_at = COALESCE(contact_points.verified_at, EXCLUDED.verified_at)
     RETURNING id`,
    [
      randomUUID(),
      point.patientId,
      keyring.seal('fields', Buffer.from(address, 'utf8'), ADDRESS_CONTEXT),
      keyring.lookupHash(address.toLowerCase()),
      point.source,
      point.verifiedAt ?? null,
      point.recordedBy,
    ],
  );
  return result.rows[0]?.id ?? '';
}

/** The patient's newest primary contact point, if one was recorded beside the EHR's. */
export async function findPrimaryContactPoint(
  db: Queryable,
  keyring: Keyring,
  patientId: string,
): Promise<ContactPointRecord | undefined> {
  const result = await db.query<{
    id: string;
    address: Buffer;
    source: AddressSource;
    verified_at: Date | null;
    is_primary: boolean;
    created_at: Date;
  }>(
    `SELECT id, address, source, verified_at, is_primary, created_at FROM contact_points
     WHERE patient_id = $1 AND is_primary ORDER BY created_at DESC LIMIT 1`,
    [patientId],
  );
  const row = result.rows[0];
  if (row === undefined) {
    return undefined;
  }
  return {
    id: row.id,
    address: keyring.open('fields', row.address, ADDRESS_CONTEXT).toString('utf8'),
    source: row.source,
    verifiedAt: row.verified_at?.toISOString(),
    isPrimary: row.is_primary,
    createdAt: row.created_at.toISOString(),
  };
}

/** The patient's preference in force, with its acceptance record when there is one. */
export interface PreferenceRecord {
  version: number;
  preference: PatientPreference;
  unencryptedAcceptance?: UnencryptedAcceptance;
  recordedAt: string;
}

/** Records a new version of the patient's email preference. */
export async function recordPreference(
  db: Queryable,
  entry: {
    patientId: string;
    preference: PatientPreference;
    acceptance?: UnencryptedAcceptance | undefined;
    recordedBy: string;
  },
): Promise<number> {
  const result = await db.query<{ version: number }>(
    `INSERT INTO communication_preferences (patient_id, version, preference, warning_text_version,
       accepted_at, acceptance_method, staff_id, recorded_by)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7
       FROM communication_preferences WHERE patient_id = $1
     RETURNING version`,
    [
      entry.patientId,
      entry.preference,
      entry.acceptance?.warningTextVersion ?? null,
      entry.acceptance?.acceptedAt ?? null,
      entry.acceptance?.method ?? null,
      entry.acceptance?.staffId ?? null,
      entry.recordedBy,
    ],
  );
  return result.rows[0]?.version ?? 0;
}

/** The newest preference version, or `undefined` (which means `any`). */
export async function findPreference(
  db: Queryable,
  patientId: string,
): Promise<PreferenceRecord | undefined> {
  const result = await db.query<{
    version: number;
    preference: PatientPreference;
    warning_text_version: string | null;
    accepted_at: Date | null;
    acceptance_method: UnencryptedAcceptance['method'] | null;
    staff_id: string | null;
    recorded_at: Date;
  }>(
    `SELECT * FROM communication_preferences WHERE patient_id = $1
     ORDER BY version DESC LIMIT 1`,
    [patientId],
  );
  const row = result.rows[0];
  if (row === undefined) {
    return undefined;
  }
  const hasAcceptance =
    row.warning_text_version !== null && row.accepted_at !== null && row.acceptance_method !== null;
  return {
    version: row.version,
    preference: row.preference,
    recordedAt: row.recorded_at.toISOString(),
    ...(hasAcceptance
      ? {
          unencryptedAcceptance: {
            warningTextVersion: row.warning_text_version ?? '',
            acceptedAt: row.accepted_at?.toISOString() ?? '',
            method: row.acceptance_method ?? 'web',
            ...(row.staff_id === null ? {} : { staffId: row.staff_id }),
          },
        }
      : {}),
  };
}

/** A confidential-communication request in force. */
export interface ConfidentialRequest {
  id: string;
  channel: 'email' | 'postal' | 'phone' | 'portal';
  address?: string;
  effectiveFrom: string;
}

/** Records a confidential-communication request; an earlier one in force ends with it. */
export async function recordConfidentialRequest(
  db: Queryable,
  keyring: Keyring,
  request: {
    patientId: string;
    channel: ConfidentialRequest['channel'];
    address?: string | undefined;
    effectiveFrom: string;
    recordedBy: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `UPDATE confidential_requests SET ended_at = $2
     WHERE patient_id = $1 AND ended_at IS NULL AND effective_from <= $2`,
    [request.patientId, request.effectiveFrom],
  );
  await db.query(
    `INSERT INTO confidential_requests (id, patient_id, channel, address, effective_from,
       recorded_by) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      id,
      request.patientId,
      request.channel,
      request.address === undefined
        ? null
        : keyring.seal('fields', Buffer.from(request.address.trim(), 'utf8'), CONFIDENTIAL_CONTEXT),
      request.effectiveFrom,
      request.recordedBy,
    ],
  );
  return id;
}

/** The confidential-communication request in force at `now`, if any. */
export async function findConfidentialRequest(
  db: Queryable,
  keyring: Keyring,
  patientId: string,
  now: string,
): Promise<ConfidentialRequest | undefined> {
  const result = await db.query<{
    id: string;
    channel: ConfidentialRequest['channel'];
    address: Buffer | null;
    effective_from: Date;
  }>(
    `SELECT id, channel, address, effective_from FROM confidential_requests
     WHERE patient_id = $1 AND effective_from <= $2 AND (ended_at IS NULL OR ended_at > $2)
     ORDER BY effective_from DESC LIMIT 1`,
    [patientId, now],
  );
  const row = result.rows[0];
  if (row === undefined) {
    return undefined;
  }
  return {
    id: row.id,
    channel: row.channel,
    effectiveFrom: row.effective_from.toISOString(),
    ...(row.address === null
      ? {}
      : {
          address: keyring.open('fields', row.address, CONFIDENTIAL_CONTEXT).toString('utf8'),
        }),
  };
}

/** Records an agreed restriction on an EHR subject (an encounter, an appointment). */
export async function recordRestriction(
  db: Queryable,
  restriction: {
    patientId: string;
    subjectType: string;
    subjectId: string;
    agreedAt: string;
    recordedBy: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO restrictions (id, patient_id, subject_type, subject_id, agreed_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      id,
      restriction.patientId,
      restriction.subjectType,
      restriction.subjectId,
      restriction.agreedAt,
      restriction.recordedBy,
    ],
  );
  return id;
}

/** An agreed restriction in force on any of `subjects` (`Type/id`), if there is one. */
export async function findRestriction(
  db: Queryable,
  patientId: string,
  subjects: readonly string[],
): Promise<{ id: string } | undefined> {
  const result = await db.query<{ id: string }>(
    `SELECT id FROM restrictions WHERE patient_id = $1 AND ended_at IS NULL
       AND subject_type || '/' || subject_id = ANY($2) LIMIT 1`,
    [patientId, subjects],
  );
  return result.rows[0];
}
