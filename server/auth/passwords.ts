import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../engine/errors/app-error.js';

/** Shorter passwords are refused (NIST SP 800-63B asks for at least 8; we ask for more). */
export const MIN_PASSWORD_LENGTH = 12;

// OWASP's argon2id baseline: 19 MiB, two passes, one lane. `algorithm: 2` is the package's
// const enum Algorithm.Argon2id, which verbatimModuleSyntax cannot import.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// Verified when the email is unknown, so a wrong email takes as long as a wrong password and
// the timing does not tell which accounts exist.
let decoy: Promise<string> | undefined;

/**
 * Hashes a password with argon2id (a PHC string with its own salt and parameters).
 *
 * @throws AppError `password_weak` when it is shorter than {@link MIN_PASSWORD_LENGTH}
 */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'password_weak',
      `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters; a passphrase of a few words is easiest.`,
    );
  }
  return hash(password, OPTIONS);
}

/** Whether a password matches a stored hash; with no hash, spends the same time and says no. */
export async function verifyPassword(
  stored: string | undefined,
  password: string,
): Promise<boolean> {
  if (stored === undefined) {
    decoy ??= hash('decoy password that matches nothing', OPTIONS);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
