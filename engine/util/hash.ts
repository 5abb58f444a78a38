import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * SHA-256 of a string's UTF-8 bytes, as lower-case hex.
 *
 * A pure implementation rather than `node:crypto`, because the engine also runs inside the
 * Temporal workflow sandbox and in the browser, where `node:crypto` does not exist.
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
