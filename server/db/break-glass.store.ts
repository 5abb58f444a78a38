import { randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const CONTEXT = 'break_glass.reason';

/** A break-glass grant as auditors read it, reason decrypted. */
export interface BreakGlassGrant {
  id: string;
  userId: string;
  reason: string;
  startedAt: string;
  endsAt: string;
  endedAt: string | undefined;
}

/** Opens a grant for a session until `minutes` from now; returns its id and end. */
export async function openGrant(
  db: Queryable,
  keyring: Keyring,
  spec: { userId: string; sessionId: string; reason: string; minutes: number },
): Promise<{ id: string; endsAt: Date }> {
  const id = randomUUID();
  const inserted = await db.query<{ ends_at: Date }>(
    `INSERT INTO break_glass_grants (id, user_id, session_id, reason, ends_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING ends_at`,
    [
      id,
      spec.userId,
      spec.sessionId,
      keyring.seal('fields', Buffer.from(spec.reason, 'utf8'), CONTEXT),
      spec.minutes,
    ],
  );
  return { id, endsAt: inserted.rows[0]?.ends_at ?? new Date() };
}

/** The live grant of a session, if any (not ended, not past its end). */
export async function liveGrantOf(db: Queryable, sessionId: string): Promise<string | undefined> {
  const found = await db.query<{ id: string }>(
    `SELECT id FROM break_glass_grants
     WHERE session_id = $1 AND ended_at IS NULL AND ends_at > now()
     ORDER BY started_at DESC LIMIT 1`,
    [sessionId],
  );
  return found.rows[0]?.id;
}

/** Ends a session's live grants early; returns how many ended. */
export async function endGrants(db: Queryable, sessionId: string): Promise<number> {
  const updated = await db.query(
    `UPDATE break_glass_grants SET ended_at = now()
     WHERE session_id = $1 AND ended_at IS NULL AND ends_at > now()`,
    [sessionId],
  );
  return updated.rowCount ?? 0;
}

/** Every grant, newest first, with its reason. */
export async function listGrants(db: Queryable, keyring: Keyring): Promise<BreakGlassGrant[]> {
  const found = await db.query<{
    id: string;
    user_id: string;
    reason: Buffer;
    started_at: Date;
    ends_at: Date;
    ended_at: Date | null;
  }>(
    `SELECT id, user_id, reason, started_at, ends_at, ended_at FROM break_glass_grants
     ORDER BY started_at DESC LIMIT 1000`,
  );
  return found.rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    reason: keyring.open('fields', row.reason, CONTEXT).toString('utf8'),
    startedAt: row.started_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    endedAt: row.ended_at?.toISOString(),
  }));
}
