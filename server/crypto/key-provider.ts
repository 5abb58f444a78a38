import { randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Wraps and unwraps per-message data keys (envelope encryption). The portal seals each
 * message with its own random key and stores only the wrapped key, so the master key never
 * touches message bodies and a KMS can later implement this interface without data migration.
 */
export interface KeyProvider {
  /** The id of the key that wraps now, for the stored record. */
  readonly keyId: string;
  /** A fresh 32-byte data key. */
  generateDataKey: () => Buffer;
  wrap: (dataKey: Buffer, context: string) => Buffer;
  unwrap: (wrapped: Buffer, context: string) => Buffer;
}

/**
 * The key provider backed by `PATHWELL_MASTER_KEY` (the keyring's `portal` key).
 *
 * TODO: a KMS- or HSM-backed provider (AWS KMS, GCP KMS, Vault transit) keeps the wrapping key
 * outside this process, as COMPLIANCE.md AC-PRT-5 asks; until one is written the wrapping key
 * is derived from configuration, so the database alone still cannot open a portal message.
 */
export function configKeyProvider(keyring: Keyring): KeyProvider {
  return {
    keyId: keyring.primaryKeyId('portal'),
    generateDataKey: () => randomBytes(32),
    wrap: (dataKey, context) => keyring.seal('portal', dataKey, context),
    unwrap: (wrapped, context) => keyring.open('portal', wrapped, context),
  };
}
