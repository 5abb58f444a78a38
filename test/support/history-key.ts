import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { Keyring } from '../../server/crypto/keyring.js';
import { EncryptionCodec } from '../../server/temporal/payload-codec.js';

/**
 * The master key of the saved workflow histories in `test/fixtures/histories/`. It is public on
 * purpose (derived from a fixed phrase), so anyone can replay and re-record the histories; it
 * encrypts only made-up test data and must never be a deployment's PATHWELL_MASTER_KEY.
 */
export const HISTORY_FIXTURE_MASTER_KEY = Buffer.from(
  sha256(utf8ToBytes('pathwell/test/workflow-history-fixtures/v1 (public, test only)')),
).toString('base64');

/** The payload codec that opens the saved histories, as the worker's codec opens live ones. */
export function historyFixtureCodec(): EncryptionCodec {
  return new EncryptionCodec(new Keyring([Buffer.from(HISTORY_FIXTURE_MASTER_KEY, 'base64')]));
}
