import { describe, expect, it } from 'vitest';
import type { MtaStsPolicy } from './mta-sts.js';
import { type MxProbe, postureOf } from './recipient-posture.js';

const NOW = '2026-03-01T12:00:00.000Z';
const verified = (mxHost: string): MxProbe => ({
  mxHost,
  isReachable: true,
  starttls: true,
  tlsVersion: 'TLSv1.3',
  certValid: true,
  certError: null,
});
const badCert = (mxHost: string): MxProbe => ({
  ...verified(mxHost),
  certValid: false,
  certError: 'certificate-host-mismatch',
});
const clear = (mxHost: string): MxProbe => ({
  ...verified(mxHost),
  starttls: false,
  tlsVersion: null,
  certValid: false,
});
const enforce = (mx: string[], maxAge = 604_800): MtaStsPolicy => ({ mode: 'enforce', mx, maxAge });

describe('postureOf', () => {
  it('AC-ENC-2 records the MX, TLS facts and a 24 h expiry for verified PKIX TLS', () => {
    const record = postureOf('example.org', [verified('mx.example.org')], {}, NOW);

    expect(record).toEqual({
      domain: 'example.org',
      transport: 'pkix_tls_ok',
      mxHost: 'mx.example.org',
      starttls: true,
      tlsVersion: 'TLSv1.3',
      certValid: true,
      certError: null,
      mtaStsMode: null,
      dane: 'not_checked',
      resultType: null,
      refusal: null,
      checkedAt: NOW,
      expiresAt: '2026-03-02T12:00:00.000Z',
    });
  });

  it('AC-ENC-2 expires sooner when the MTA-STS max_age is shorter than 24 h', () => {
    const record = postureOf(
      'example.org',
      [verified('mx.example.org')],
      { policy: enforce(['mx.example.org'], 3600) },
      NOW,
    );

    expect(record.transport).toBe('sts_enforce_ok');
    expect(record.expiresAt).toBe('2026-03-01T13:00:00.000Z');
  });

  it('AC-STS-1 refuses delivery when no MX matches an enforced pattern', () => {
    const record = postureOf(
      'example.org',
      [verified('mx1.example.org')],
      { policy: enforce(['*.mail.example.org']) },
      NOW,
    );

    expect(record.refusal).toEqual({
      reason: 'mta_sts_mx_mismatch',
      resultType: 'validation-failure',
    });
    expect(record.resultType).toBe('validation-failure');
  });

  it('AC-STS-1 uses only the matching MX in enforce mode', () => {
    const record = postureOf(
      'example.org',
      [clear('legacy.example.org'), verified('mx1.mail.example.org')],
      { policy: enforce(['*.mail.example.org']) },
      NOW,
    );

    expect(record).toMatchObject({ transport: 'sts_enforce_ok', mxHost: 'mx1.mail.example.org' });
  });

  it('refuses delivery when the enforced MX fails certificate checks', () => {
    const record = postureOf(
      'example.org',
      [badCert('mx1.mail.example.org')],
      { policy: enforce(['*.mail.example.org']) },
      NOW,
    );

    expect(record.refusal).toEqual({
      reason: 'mta_sts_tls_failed',
      resultType: 'certificate-host-mismatch',
    });
  });

  it('AC-STS-2 a testing policy with an invalid certificate is not verified TLS', () => {
    const record = postureOf(
      'example.org',
      [badCert('mx.example.org')],
      { policy: { mode: 'testing', mx: ['mx.example.org'], maxAge: 86_400 } },
      NOW,
    );

    expect(record).toMatchObject({
      transport: 'tls_unverified',
      mtaStsMode: 'testing',
      refusal: null,
      resultType: 'certificate-host-mismatch',
    });
  });

  it('reads no STARTTLS as no_tls, and a verified backup MX as verified', () => {
    expect(postureOf('a.example', [clear('mx.a.example')], {}, NOW)).toMatchObject({
      transport: 'no_tls',
      resultType: 'starttls-not-supported',
    });
    expect(
      postureOf('b.example', [clear('mx1.b.example'), verified('mx2.b.example')], {}, NOW),
    ).toMatchObject({ transport: 'pkix_tls_ok', mxHost: 'mx2.b.example' });
  });

  it('is unknown, briefly cached, when no MX answers', () => {
    const record = postureOf(
      'c.example',
      [{ ...verified('mx.c.example'), isReachable: false }],
      {},
      NOW,
    );

    expect(record).toMatchObject({ transport: 'unknown', expiresAt: '2026-03-01T12:15:00.000Z' });
  });
});
