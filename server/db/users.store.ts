import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../engine/errors/app-error.js';
import type { Role } from '../auth/roles.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Queryable } from './pool.js';

const EMAIL_CONTEXT = 'users.email';

/** How long a one-time setup link works. */
export const SETUP_LINK_HOURS = 24;

/** Failed sign-ins in a row before the account locks; each further one doubles the lock. */
export const LOCKOUT_THRESHOLD = 5;
const LOCK_MAX_MINUTES = 60;

/** A user as sign-in and the admin routes need it. */
export interface User {
  id: string;
  email: string;
  roles: Role[];
  passwordHash: string | undefined;
  failedSignIns: number;
  lockedUntil: Date | undefined;
  isDisabled: boolean;
  /** Whether sign-in asks for a TOTP code (or a recovery code) after the password. */
  hasTotp: boolean;
}

interface UserRow {
  id: string;
  email: Buffer;
  roles: Role[];
  password_hash: string | null;
  failed_sign_ins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  has_totp: boolean;
}

const COLUMNS =
  'id, email, roles, password_hash, failed_sign_ins, locked_until, disabled_at, ' +
  'totp_secret IS NOT NULL AS has_totp';

/** The lookup key of an email: case and surrounding space do not make another user. */
function emailHash(keyring: Keyring, email: string): string {
  return keyring.lookupHash(`user-email:${email.trim().toLowerCase()}`);
}

function setupHash(keyring: Keyring, token: string): string {
  return keyring.lookupHash(`user-setup:${token}`);
}

function toUser(keyring: Keyring, row: UserRow): User {
  return {
    id: row.id,
    email: keyring.open('fields', row.email, EMAIL_CONTEXT).toString('utf8'),
    roles: row.roles,
    passwordHash: row.password_hash ?? undefined,
    failedSignIns: row.failed_sign_ins,
    lockedUntil: row.locked_until ?? undefined,
    isDisabled: row.disabled_at !== null,
    hasTotp: row.has_totp,
  };
}

/**
 * Creates a user. With a password hash the account can sign in at once; without one it gets a
 * one-time setup token (returned once, stored as a keyed hash) for {@link SETUP_LINK_HOURS}.
 *
 * @throws AppError `user_exists` (409) when the email is taken
 */
export async function createUser(
  db: Queryable,
  keyring: Keyring,
  user: { email: string; roles: Role[]; passwordHash?: string },
): Promise<{ id: string; setupToken: string | undefined }> {
  const id = randomUUID();
  const setupToken =
    user.passwordHash === undefined ? randomBytes(24).toString('base64url') : undefined;
  const email = user.email.trim();
  const inserted = await db.query(
    `INSERT INTO users (id, email_hash, email, password_hash, roles, setup_token_hash,
       setup_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
     ON CONFLICT (email_hash) DO NOTHING`,
    [
      id,
      emailHash(keyring, email),
      keyring.seal('fields', Buffer.from(email, 'utf8'), EMAIL_CONTEXT),
      user.passwordHash ?? null,
      user.roles,
      setupToken === undefined ? null : setupHash(keyring, setupToken),
      SETUP_LINK_HOURS,
    ],
  );
  if (inserted.rowCount === 0) {
    throw new AppError('user_exists', 'A user with this email exists; change their roles instead.');
  }
  return { id, setupToken };
}

/** The user with this email, if any. */
export async function findUserByEmail(
  db: Queryable,
  keyring: Keyring,
  email: string,
): Promise<User | undefined> {
  const found = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email_hash = $1`, [
    emailHash(keyring, email),
  ]);
  const row = found.rows[0];
  return row === undefined ? undefined : toUser(keyring, row);
}

/** The user with this id, if any. */
export async function findUserById(
  db: Queryable,
  keyring: Keyring,
  id: string,
): Promise<User | undefined> {
  const found = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  const row = found.rows[0];
  return row === undefined ? undefined : toUser(keyring, row);
}

/** Every user, oldest first (the admin list; emails decrypted). */
export async function listUsers(db: Queryable, keyring: Keyring): Promise<User[]> {
  const found = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY created_at, id`);
  return found.rows.map((row) => toUser(keyring, row));
}

/** How many users exist (none: the first administrator has not been made yet). */
export async function countUsers(db: Queryable): Promise<number> {
  const found = await db.query<{ count: string }>('SELECT count(*) AS count FROM users');
  return Number(found.rows[0]?.count ?? 0);
}

/** Uses a setup token once: sets the password and returns the user's id, if it was valid. */
export async function completeSetup(
  db: Queryable,
  keyring: Keyring,
  token: string,
  passwordHash: string,
): Promise<string | undefined> {
  const updated = await db.query<{ id: string }>(
    `UPDATE users SET password_hash = $2, setup_token_hash = NULL, setup_expires_at = NULL
     WHERE setup_token_hash = $1 AND setup_expires_at > now() RETURNING id`,
    [setupHash(keyring, token), passwordHash],
  );
  return updated.rows[0]?.id;
}

/** Whether a setup token is known and not expired (the setup page shows the form then). */
export async function isSetupTokenValid(
  db: Queryable,
  keyring: Keyring,
  token: string,
): Promise<boolean> {
  const found = await db.query(
    'SELECT 1 FROM users WHERE setup_token_hash = $1 AND setup_expires_at > now()',
    [setupHash(keyring, token)],
  );
  return (found.rowCount ?? 0) > 0;
}

/**
 * Counts a failed sign-in. From {@link LOCKOUT_THRESHOLD} in a row on, the account locks for
 * 1, 2, 4, … minutes (at most an hour), so guessing slows down exponentially.
 */
export async function recordSignInFailure(db: Queryable, id: string): Promise<Date | undefined> {
  const updated = await db.query<{ locked_until: Date | null }>(
    `UPDATE users SET failed_sign_ins = failed_sign_ins + 1,
       locked_until = CASE WHEN failed_sign_ins + 1 >= $2
         THEN now() + make_interval(mins => LEAST($3, power(2, failed_sign_ins + 1 - $2)::int))
         ELSE locked_until END
     WHERE id = $1 RETURNING locked_until`,
    [id, LOCKOUT_THRESHOLD, LOCK_MAX_MINUTES],
  );
  return updated.rows[0]?.locked_until ?? undefined;
}

/** Clears the failure count after a good sign-in. */
export async function clearSignInFailures(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [id]);
}

/** Replaces a user's roles; false when no user has the id. */
export async function setUserRoles(db: Queryable, id: string, roles: Role[]): Promise<boolean> {
  const updated = await db.query('UPDATE users SET roles = $2 WHERE id = $1', [id, roles]);
  return (updated.rowCount ?? 0) > 0;
}

/** Disables a user (they leave, or lose access): no sign-in from now on; false when unknown. */
export async function disableUser(db: Queryable, id: string): Promise<boolean> {
  const updated = await db.query(
    'UPDATE users SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1',
    [id],
  );
  return (updated.rowCount ?? 0) > 0;
}
