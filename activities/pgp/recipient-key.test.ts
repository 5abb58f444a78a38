import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { checkRecipientKey, readPublicKey } from './recipient-key.js';

const ADDRESS = 'pat@example.org';
const DAY_MS = 86_400_000;

async function keyOf(options: { date?: Date; keyExpirationTime?: number; subkeys?: [] } = {}) {
  const pair = await openpgp.generateKey({
    ...options,
    userIDs: [{ name: 'Pat', email: ADDRESS }],
    format: 'armored',
  });
  return { ...pair, registered: await readPublicKey(pair.publicKey) };
}

describe('checkRecipientKey (AC-PGP-1)', () => {
  it('accepts an unexpired, unrevoked key with an encryption subkey and the address as UID', async () => {
    const { registered } = await keyOf();

    expect(await checkRecipientKey(registered, 'PAT@example.org', new Date())).toEqual({
      usable: true,
      fingerprint: registered.fingerprint,
    });
  });

  it('refuses an expired key', async () => {
    const { registered } = await keyOf({
      date: new Date(Date.now() - 10 * DAY_MS),
      keyExpirationTime: 86_400,
    });

    expect(await checkRecipientKey(registered, ADDRESS, new Date())).toMatchObject({
      usable: false,
      problems: ['expired'],
    });
  });

  it('refuses a revoked key', async () => {
    const { privateKey } = await keyOf();
    const revoked = await openpgp.revokeKey({
      key: await openpgp.readPrivateKey({ armoredKey: privateKey }),
      format: 'armored',
    });

    const check = await checkRecipientKey(
      await readPublicKey(revoked.publicKey),
      ADDRESS,
      new Date(),
    );

    expect(check).toMatchObject({ usable: false, problems: ['revoked'] });
  });

  it('refuses a key without an encryption-capable subkey', async () => {
    const { registered } = await keyOf({ subkeys: [] });

    expect(await checkRecipientKey(registered, ADDRESS, new Date())).toMatchObject({
      usable: false,
      problems: ['no_encryption_subkey'],
    });
  });

  it('refuses a key whose user ids do not name the recipient address', async () => {
    const { registered } = await keyOf();

    expect(await checkRecipientKey(registered, 'other@example.org', new Date())).toMatchObject({
      usable: false,
      problems: ['uid_mismatch'],
    });
  });
});

describe('readPublicKey', () => {
  it('refuses text that is not a key, and a private key, with pgp_key_malformed', async () => {
    const { privateKey } = await keyOf();

    await expect(readPublicKey('not a key')).rejects.toMatchObject({ code: 'pgp_key_malformed' });
    await expect(readPublicKey(privateKey)).rejects.toMatchObject({ code: 'pgp_key_malformed' });
  });
});
