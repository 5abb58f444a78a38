import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../engine/templates/render.js';
import { buildMime } from './build-mime.js';

const DKIM = {
  domainName: 'pathwell.localhost',
  keySelector: 'test',
  privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};

describe('buildMime', () => {
  it('yields one To and no Bcc for a value bound for a header that carries CR/LF', async () => {
    const rendered = renderMessage(
      {
        subject: 'Hello {{ patient.firstName }}',
        fromName: 'Care team {{ patient.firstName }}',
        html: '<p>Hi</p>',
        text: 'Hi',
        variables: ['patient.firstName'],
        sensitivity: 'S1',
      },
      { 'patient.firstName': 'Ann\r\nBcc: x@evil.test' },
      'UTC',
    );
    const built = await buildMime(rendered, {
      from: { address: 'care@pathwell.localhost', name: 'Care' },
      to: 'ann@example.org',
      messageId: '<m1@pathwell.localhost>',
      reference: 'ref1',
      dkim: DKIM,
    });
    const parsed = await simpleParser(built.raw);

    expect(parsed.to).toMatchObject({ value: [{ address: 'ann@example.org' }] });
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('Hello Ann Bcc: x@evil.test');
    expect(built.raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;/);
  });

  it('adds the RFC 8058 pair only to messages given unsubscribe links', async () => {
    const message = { subject: 'News', html: '<p>x</p>', text: 'x' };
    const envelope = {
      from: { address: 'care@pathwell.localhost', name: 'Care' },
      to: 'ann@example.org',
      messageId: '<m2@pathwell.localhost>',
      reference: 'ref2',
      dkim: DKIM,
    };
    const plain = await buildMime(message, envelope);
    const marketing = await buildMime(message, {
      ...envelope,
      unsubscribe: { https: 'https://p.example/u/tok', mailto: 'mailto:u@p.example' },
    });

    expect(plain.raw.toString()).not.toMatch(/List-Unsubscribe/i);
    expect(marketing.raw.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });
});
