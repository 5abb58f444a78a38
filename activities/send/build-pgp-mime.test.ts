import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { readPublicKey } from '../pgp/recipient-key.js';
import { buildPgpMime, PGP_SUBJECT } from './build-pgp-mime.js';

const DKIM = {
  domainName: 'pathwell.localhost',
  keySelector: 'test',
  privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};

describe('buildPgpMime (RFC 3156, AC-PGP-2)', () => {
  it('encrypts the whole message to the key under a generic subject, DKIM-signed', async () => {
    const pair = await openpgp.generateKey({
      userIDs: [{ email: 'pat@example.org' }],
      format: 'armored',
    });
    const built = await buildPgpMime(
      { subject: 'Your results', html: '<p>HbA1c 6.1</p>', text: 'HbA1c 6.1' },
      {
        from: { address: 'care@pathwell.localhost', name: 'Care team' },
        to: 'pat@example.org',
        messageId: '<m1@pathwell.localhost>',
        reference: 'ref1',
        dkim: DKIM,
        key: await readPublicKey(pair.publicKey),
      },
    );

    const raw = built.raw.toString('utf8');
    expect(raw).toMatch(/^DKIM-Signature: /);
    expect(raw).toMatch(
      /Content-Type: multipart\/encrypted;\s+protocol="application\/pgp-encrypted"/,
    );
    expect(raw).not.toContain('HbA1c');
    expect(raw).not.toContain('Your results');
    const outer = await simpleParser(built.raw);
    expect(outer.subject).toBe(PGP_SUBJECT);
    const armored = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(raw)?.[0];
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armored ?? '' }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: pair.privateKey }),
      format: 'binary',
    });
    const inner = await simpleParser(Buffer.from(data as Uint8Array));
    expect(inner.subject).toBe('Your results');
    expect(inner.text?.trim()).toBe('HbA1c 6.1');
  });
});
