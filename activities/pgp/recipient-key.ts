import * as openpgp from 'openpgp';
import { AppError } from '../../engine/errors/app-error.js';

/** Why a registered key is not used (COMPLIANCE.md AC-PGP-1). */
export type KeyProblem = 'expired' | 'revoked' | 'no_encryption_subkey' | 'uid_mismatch';

/** A public key as registered: armored, with its fingerprint. */
export interface RegisteredKey {
  armored: string;
  fingerprint: string;
}

/** Whether a key can encrypt to an address now, and if not, every reason why. */
export type KeyCheck =
  | { usable: true; fingerprint: string }
  | { usable: false; fingerprint: string; problems: KeyProblem[] };

/**
 * Reads a patient's public key as pasted (ASCII armor). A private key is refused rather than
 * stored: Pathwell must never hold the patient's secret, and only the public part is kept.
 *
 * @throws AppError `pgp_key_malformed` for anything that is not one OpenPGP public key
 */
export async function readPublicKey(armored: string): Promise<RegisteredKey> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch (error) {
    throw new AppError(
      'pgp_key_malformed',
      'The key is not an ASCII-armored OpenPGP public key; export it with "gpg --armor --export".',
      { cause: error },
    );
  }
  if (key.isPrivate()) {
    throw new AppError(
      'pgp_key_malformed',
      'This is a private key; register the public key only ("gpg --armor --export"), and keep the private one secret.',
    );
  }
  return { armored: key.armor(), fingerprint: key.getFingerprint() };
}

/**
 * Checks a registered key for one recipient address at `now` (AC-PGP-1): not expired, not
 * revoked, an encryption-capable (sub)key, and a user id naming the address. Checked at every
 * send, because keys expire and are revoked while journeys wait.
 */
export async function checkRecipientKey(
  registered: RegisteredKey,
  address: string,
  now: Date,
): Promise<KeyCheck> {
  const key = await openpgp.readKey({ armoredKey: registered.armored });
  const problems: KeyProblem[] = [];
  if (await key.isRevoked(undefined, undefined, now)) {
    problems.push('revoked');
  } else if (await isExpired(key, now)) {
    problems.push('expired');
  } else if (!(await hasEncryptionKey(key, now))) {
    problems.push('no_encryption_subkey');
  }
  if (!key.getUserIDs().some((userId) => addressOf(userId) === address.trim().toLowerCase())) {
    problems.push('uid_mismatch');
  }
  return problems.length === 0
    ? { usable: true, fingerprint: registered.fingerprint }
    : { usable: false, fingerprint: registered.fingerprint, problems };
}

/** Encrypts bytes to a key, ASCII-armored (the body of a PGP/MIME message). */
export async function encryptTo(registered: RegisteredKey, plaintext: Buffer): Promise<string> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: registered.armored });
  const message = await openpgp.createMessage({ binary: new Uint8Array(plaintext) });
  // openpgp's declared result type leans on web-stream types this project does not load; with
  // a Uint8Array message and `armored` format the value is a string.
  const armored: unknown = await openpgp.encrypt({ message, encryptionKeys, format: 'armored' });
  return String(armored);
}

async function isExpired(key: openpgp.Key, now: Date): Promise<boolean> {
  const expires = await key.getExpirationTime();
  return expires instanceof Date && expires.getTime() <= now.getTime();
}

async function hasEncryptionKey(key: openpgp.Key, now: Date): Promise<boolean> {
  try {
    await key.getEncryptionKey(undefined, now);
    return true;
  } catch {
    return false;
  }
}

// A user id is "Name <address>" or a bare address.
function addressOf(userId: string): string {
  const bracketed = /<([^<>]+)>\s*$/.exec(userId)?.[1];
  return (bracketed ?? userId).trim().toLowerCase();
}
