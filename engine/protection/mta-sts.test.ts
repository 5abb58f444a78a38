import { describe, expect, it } from 'vitest';
import { mxMatchesPattern, parseStsPolicy, parseStsRecord } from './mta-sts.js';

describe('parseStsRecord', () => {
  it('reads the id of the one STSv1 record', () => {
    expect(parseStsRecord(['v=spf1 -all', 'v=STSv1; id=20260101T000000'])).toBe('20260101T000000');
  });

  it('counts two STSv1 records, or a bad id, as no policy (RFC 8461 §3.1)', () => {
    expect(parseStsRecord(['v=STSv1; id=a', 'v=STSv1; id=b'])).toBeUndefined();
    expect(parseStsRecord(['v=STSv1; id=not-alnum!'])).toBeUndefined();
    expect(parseStsRecord(['v=STSv1;'])).toBeUndefined();
    expect(parseStsRecord([])).toBeUndefined();
  });
});

describe('parseStsPolicy', () => {
  it('reads mode, every mx and max_age, ignoring unknown keys', () => {
    const parsed = parseStsPolicy(
      'version: STSv1\r\nmode: enforce\r\nmx: mail.example.org\r\nmx: *.Backup.example.org\r\nmax_age: 604800\r\nextension: x\r\n',
    );

    expect(parsed).toEqual({
      ok: true,
      policy: {
        mode: 'enforce',
        mx: ['mail.example.org', '*.backup.example.org'],
        maxAge: 604_800,
      },
    });
  });

  it('refuses a policy without version, with a bad mode, max_age or mx pattern', () => {
    const parsed = parseStsPolicy('mode: strict\nmx: mx.*.example.org\nmax_age: 99999999999\n');

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems.map((problem) => problem.field)).toEqual([
      'version',
      'mode',
      'max_age',
      'mx',
    ]);
  });

  it('needs an mx unless the mode is none', () => {
    expect(parseStsPolicy('version: STSv1\nmode: testing\nmax_age: 86400\n').ok).toBe(false);
    expect(parseStsPolicy('version: STSv1\nmode: none\nmax_age: 86400\n').ok).toBe(true);
  });
});

describe('mxMatchesPattern', () => {
  it.each([
    ['mx1.mail.example.org', '*.mail.example.org', true],
    ['MX1.Mail.Example.org.', '*.mail.example.org', true],
    ['a.b.mail.example.org', '*.mail.example.org', false],
    ['mail.example.org', '*.mail.example.org', false],
    ['mx1.example.org', '*.mail.example.org', false],
    ['mail.example.org', 'mail.example.org', true],
    ['xmail.example.org', 'mail.example.org', false],
  ])('%s against %s is %s', (host, pattern, expected) => {
    expect(mxMatchesPattern(host, pattern)).toBe(expected);
  });
});
