import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Keyring } from '../crypto/keyring.js';

/** The encoding name an encrypted payload carries in its metadata. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key that encrypted a payload, so keys can rotate. */
export const KEY_ID_METADATA = 'encryption-key-id';

const CONTEXT = 'temporal.payload';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts every Temporal payload (workflow inputs and results, activity arguments and results,
 * signals, queries, and, with the failure converter's `encodeCommonAttributes`, failure
 * messages) with AES-256-GCM, so the Temporal server stores only ciphertext. Used by every
 * client and worker; the codec endpoint uses it to decode for operators.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keyring: Keyring;

  constructor(keyring: Keyring) {
    this.keyring = keyring;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: {
        encoding: encoder.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: encoder.encode(this.keyring.primaryKeyId('temporal')),
      },
      data: this.keyring.seal(
        'temporal',
        Buffer.from(proto.temporal.api.common.v1.Payload.encode(payload).finish()),
        CONTEXT,
      ),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (
        encoding === undefined ||
        decoder.decode(encoding) !== ENCRYPTED_ENCODING ||
        payload.data === undefined ||
        payload.data === null
      ) {
        return payload;
      }
      const plain = this.keyring.open('temporal', Buffer.from(payload.data), CONTEXT);
      return proto.temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
