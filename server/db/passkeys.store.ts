import type { Queryable } from './pool.js';

/** How long a ceremony's challenge may be answered. */
const CHALLENGE_MINUTES = 5;

/** A registered passkey as verification needs it. */
export interface Passkey {
  id: string;
  userId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

interface PasskeyRow {
  id: string;
  user_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
}

function toPasskey(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    userId: row.user_id,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: row.transports,
  };
}

/** Stores a verified passkey. */
export async function addPasskey(db: Queryable, passkey: Passkey): Promise<void> {
  await db.query(
    `INSERT INTO passkeys (id, user_id, public_key, counter, transports)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      passkey.id,
      passkey.userId,
      Buffer.from(passkey.publicKey),
      passkey.counter,
      passkey.transports,
    ],
  );
}

/** A user's passkeys. */
export async function passkeysOf(db: Queryable, userId: string): Promise<Passkey[]> {
  const found = await db.query<PasskeyRow>(
    'SELECT id, user_id, public_key, counter, transports FROM passkeys WHERE user_id = $1',
    [userId],
  );
  return found.rows.map(toPasskey);
}

/** The passkey with this credential id, if any. */
export async function findPasskey(db: Queryable, id: string): Promise<Passkey | undefined> {
  const found = await db.query<PasskeyRow>(
    'SELECT id, user_id, public_key, counter, transports FROM passkeys WHERE id = $1',
    [id],
  );
  const row = found.rows[0];
  return row === undefined ? undefined : toPasskey(row);
}

/** Records a use and the authenticator's new signature counter. */
export async function touchPasskey(db: Queryable, id: string, counter: number): Promise<void> {
  await db.query('UPDATE passkeys SET counter = $2, last_used_at = now() WHERE id = $1', [
    id,
    counter,
  ]);
}

/** Keeps a challenge for one ceremony. */
export async function saveChallenge(
  db: Queryable,
  challenge: string,
  purpose: 'register' | 'sign_in',
  userId: string | undefined,
): Promise<void> {
  await db.query(
    `INSERT INTO webauthn_challenges (challenge, user_id, purpose, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
    [challenge, userId ?? null, purpose, CHALLENGE_MINUTES],
  );
}

/** Uses a challenge up; whether it was live (and, for registration, the same user's). */
export async function takeChallenge(
  db: Queryable,
  challenge: string,
  purpose: 'register' | 'sign_in',
  userId: string | undefined,
): Promise<boolean> {
  const deleted = await db.query(
    `DELETE FROM webauthn_challenges
     WHERE challenge = $1 AND purpose = $2 AND expires_at > now()
       AND ($3::uuid IS NULL OR user_id = $3::uuid)`,
    [challenge, purpose, userId ?? null],
  );
  return (deleted.rowCount ?? 0) > 0;
}
