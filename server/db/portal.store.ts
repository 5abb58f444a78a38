import type { Queryable } from './pool.js';

/** A portal message as stored: sealed content, wrapped key, and its pickup state. */
export interface PortalMessageRow {
  id: string;
  patientId: string;
  workflowId: string;
  stepId: string;
  messageId: string;
  address: Buffer;
  content: Buffer;
  wrappedKey: Buffer;
  otpHash: string | null;
  otpExpiresAt: string | null;
  otpAttempts: number;
  lockedAt: string | null;
  expiresAt: string;
}

/** Stores a portal message; a retry of the same send keeps the first one. */
export async function insertPortalMessage(
  db: Queryable,
  message: Omit<PortalMessageRow, 'otpHash' | 'otpExpiresAt' | 'otpAttempts' | 'lockedAt'> & {
    tokenHash: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO portal_messages (id, token_hash, patient_id, workflow_id, step_id, message_id,
       address, content, wrapped_key, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (workflow_id, step_id) DO NOTHING`,
    [
      message.id,
      message.tokenHash,
      message.patientId,
      message.workflowId,
      message.stepId,
      message.messageId,
      message.address,
      message.content,
      message.wrappedKey,
      message.expiresAt,
    ],
  );
}

/** The portal message a token opens, if any. */
export async function findPortalMessage(
  db: Queryable,
  tokenHash: string,
): Promise<PortalMessageRow | undefined> {
  const result = await db.query<{
    id: string;
    patient_id: string;
    workflow_id: string;
    step_id: string;
    message_id: string;
    address: Buffer;
    content: Buffer;
    wrapped_key: Buffer;
    otp_hash: string | null;
    otp_expires_at: Date | null;
    otp_attempts: number;
    locked_at: Date | null;
    expires_at: Date;
  }>('SELECT * FROM portal_messages WHERE token_hash = $1', [tokenHash]);
  const row = result.rows[0];
  if (row === undefined) {
    return undefined;
  }
  return {
    id: row.id,
    patientId: row.patient_id,
    workflowId: row.workflow_id,
    stepId: row.step_id,
    messageId: row.message_id,
    address: row.address,
    content: row.content,
    wrappedKey: row.wrapped_key,
    otpHash: row.otp_hash,
    otpExpiresAt: row.otp_expires_at?.toISOString() ?? null,
    otpAttempts: row.otp_attempts,
    lockedAt: row.locked_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
  };
}

/** Stores a new one-time code (hashed) for a portal message. */
export async function setPortalCode(
  db: Queryable,
  id: string,
  code: { hash: string; expiresAt: string },
): Promise<void> {
  await db.query('UPDATE portal_messages SET otp_hash = $2, otp_expires_at = $3 WHERE id = $1', [
    id,
    code.hash,
    code.expiresAt,
  ]);
}

/**
 * Counts a wrong code and locks the message once `lockAt` wrong codes were entered; returns
 * the attempts so far and whether it is now locked.
 */
export async function countWrongCode(
  db: Queryable,
  id: string,
  lockAt: number,
): Promise<{ attempts: number; isLocked: boolean }> {
  const result = await db.query<{ otp_attempts: number; locked_at: Date | null }>(
    `UPDATE portal_messages SET otp_attempts = otp_attempts + 1,
       locked_at = CASE WHEN otp_attempts + 1 >= $2 THEN COALESCE(locked_at, now()) ELSE locked_at END
     WHERE id = $1 RETURNING otp_attempts, locked_at`,
    [id, lockAt],
  );
  const row = result.rows[0];
  return {
    attempts: row?.otp_attempts ?? lockAt,
    isLocked: row !== undefined && row.locked_at !== null,
  };
}

/** Spends the current code (a code opens the message once). */
export async function spendPortalCode(db: Queryable, id: string): Promise<void> {
  await db.query(
    'UPDATE portal_messages SET otp_hash = NULL, otp_expires_at = NULL WHERE id = $1',
    [id],
  );
}
