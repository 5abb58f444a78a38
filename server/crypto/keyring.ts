import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../engine/errors/app-error.js';

/** What a derived key is for; each purpose gets its own key from the master key. */
export type KeyPurpose = 'fields' | 'temporal' | 'lookup' | 'portal' | 'audit' | 'tokens';

const FORMAT_VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Pathwell's keys, derived from one or more master keys (HKDF-SHA256, one key per purpose).
 *
 * The first master key encrypts; every listed key decrypts, found by the key id written in
 * front of each ciphertext, so a new key can be put first without re-encrypting old data at
 * once. Keys come from configuration (`PATHWELL_MASTER_KEY`); a KMS can implement the same
 * surface later.
 */
export class Keyring {
  private readonly masters: Buffer[];
  private readonly derived = new Map<string, { id: Buffer; value: Buffer }>();

  constructor(masters: Buffer[]) {
    if (masters.length === 0 || masters.some((key) => key.length !== 32)) {
      throw new AppError(
        'config_invalid',
        'PATHWELL_MASTER_KEY must be base64 of 32 random bytes (comma-separate several to rotate).',
      );
    }
    this.masters = masters;
  }

  /** Encrypts with AES-256-GCM; `context` (e.g. `patients.record`) is bound as associated data. */
  seal(purpose: KeyPurpose, plaintext: Buffer, context: string): Buffer {
    const key = this.derive(0, purpose);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.value, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), key.id, iv, cipher.getAuthTag(), body]);
  }

  /** Decrypts what {@link seal} wrote, with any key of the ring. */
  open(purpose: KeyPurpose, sealed: Buffer, context: string): Buffer {
    if (sealed.length < 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
      throw new AppError(
        'internal_error',
        `A sealed ${context} value is not in Pathwell's format.`,
      );
    }
    const keyId = sealed.subarray(1, 1 + KEY_ID_BYTES);
    const ivEnd = 1 + KEY_ID_BYTES + IV_BYTES;
    const iv = sealed.subarray(1 + KEY_ID_BYTES, ivEnd);
    const tag = sealed.subarray(ivEnd, ivEnd + TAG_BYTES);
    const body = sealed.subarray(ivEnd + TAG_BYTES);
    const key = this.findKey(purpose, keyId, context);

    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  }

  /** Encrypts a JSON value. */
  sealJson(purpose: KeyPurpose, value: unknown, context: string): Buffer {
    return this.seal(purpose, Buffer.from(JSON.stringify(value), 'utf8'), context);
  }

  /** Decrypts a JSON value. */
  openJson<T>(purpose: KeyPurpose, sealed: Buffer, context: string): T {
    return JSON.parse(this.open(purpose, sealed, context).toString('utf8')) as T;
  }

  /** A keyed hash for looking up encrypted values (addresses, tokens) without decrypting. */
  lookupHash(value: string): string {
    return createHmac('sha256', this.derive(0, 'lookup').value).update(value, 'utf8').digest('hex');
  }

  /** The id of the key that encrypts for a purpose now, as hex (for payload metadata). */
  primaryKeyId(purpose: KeyPurpose): string {
    return this.derive(0, purpose).id.toString('hex');
  }

  private findKey(purpose: KeyPurpose, keyId: Buffer, context: string): Buffer {
    for (let index = 0; index < this.masters.length; index += 1) {
      const key = this.derive(index, purpose);
      if (key.id.equals(keyId)) {
        return key.value;
      }
    }
    throw new AppError(
      'internal_error',
      `No key in PATHWELL_MASTER_KEY opens this ${context} value (key id ${keyId.toString('hex')}); was a retired key removed too early?`,
    );
  }

  private derive(index: number, purpose: KeyPurpose): { id: Buffer; value: Buffer } {
    const cacheKey = `${index}/${purpose}`;
    const cached = this.derived.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const master = this.masters[index] as Buffer;
    const info = `pathwell/${purpose}/v1`;
    const value = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
    const id = createHash('sha256').update(value).digest().subarray(0, KEY_ID_BYTES);
    this.derived.set(cacheKey, { id, value });
    return { id, value };
  }
}

/**
 * The keyring from `PATHWELL_MASTER_KEY`, or in development from `master.key` in the data
 * folder, created on first use with owner-only permissions.
 */
export function loadKeyring(options: {
  masterKey: string | undefined;
  dataDir: string;
  mode: 'development' | 'production';
}): Keyring {
  if (options.masterKey !== undefined) {
    return new Keyring(
      options.masterKey.split(',').map((part) => Buffer.from(part.trim(), 'base64')),
    );
  }
  if (options.mode === 'production') {
    throw new AppError(
      'config_invalid',
      'Set PATHWELL_MASTER_KEY in production (base64 of 32 random bytes).',
    );
  }
  const file = path.join(options.dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return new Keyring([Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')]);
}

/**
 * The raw key a purpose derives, for the few callers that need key material rather than
 * sealing (the audit checkpoint signer derives its signing key from it).
 */
export function derivedKeyMaterial(keyring: Keyring, purpose: KeyPurpose): Buffer {
  // A lookup hash of a fixed label is a keyed, purpose-separated 32-byte secret.
  return Buffer.from(keyring.lookupHash(`pathwell/key-material/${purpose}`), 'hex');
}
