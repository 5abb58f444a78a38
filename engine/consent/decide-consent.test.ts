import { describe, expect, it } from 'vitest';
import type { MarketingAuthorization } from './authorization.js';
import { classifyPurpose } from './classify-purpose.js';
import { type ConsentFacts, decideConsent } from './decide-consent.js';

const NOW = '2026-06-15T14:00:00Z';
const ZONE = 'America/New_York';

const AUTHORIZATION: MarketingAuthorization = {
  id: 'auth-1',
  version: 1,
  patientId: 'p-1',
  description: 'Name and email address',
  disclosedBy: 'Riverside Health',
  recipient: 'Riverside Health marketing',
  programs: ['wellness-2026'],
  sponsors: [],
  expiresOn: '2026-12-31',
  signedAt: '2026-01-10T09:00:00Z',
  remunerationDisclosed: false,
  statements: { rightToRevoke: true, conditioning: true, redisclosure: true },
};

function facts(overrides: Partial<ConsentFacts> = {}): ConsentFacts {
  return {
    classified: { purpose: 'treatment' },
    isDeceased: false,
    address: { address: 'alex@example.org', source: 'ehr' },
    suppressions: [],
    authorizations: [],
    policy: { acceptEhrAddresses: true },
    now: NOW,
    orgTimeZone: ZONE,
    ...overrides,
  };
}

const marketing = (overrides: Partial<ConsentFacts> = {}) =>
  facts({
    classified: { purpose: 'marketing' },
    authorizations: [AUTHORIZATION],
    campaign: { program: 'wellness-2026', thirdPartyRemuneration: false },
    ...overrides,
  });

describe('decideConsent', () => {
  it('allows a treatment send to an EHR-supplied address', () => {
    expect(decideConsent(facts())).toEqual({
      allowed: true,
      reason: 'treatment_contact_ok',
      purpose: 'treatment',
      address: 'alex@example.org',
    });
  });

  it('blocks a deceased patient and a patient without an address', () => {
    expect(decideConsent(facts({ isDeceased: true }))).toMatchObject({
      reason: 'patient_deceased',
    });
    expect(decideConsent(facts({ address: undefined }))).toMatchObject({
      reason: 'no_email_address',
    });
  });

  it('AC-PAT-1 blocks an unverified address not supplied by the EHR, and EHR ones when policy says so', () => {
    const typed = { address: 'alex@example.org', source: 'patient' as const };
    expect(decideConsent(facts({ address: typed }))).toMatchObject({
      reason: 'address_unverified',
    });
    expect(
      decideConsent(facts({ address: { ...typed, verifiedAt: '2026-05-01T00:00:00Z' } })).allowed,
    ).toBe(true);
    expect(decideConsent(facts({ policy: { acceptEhrAddresses: false } }))).toMatchObject({
      reason: 'address_unverified',
    });
  });

  it('AC-PAT-2 sends to the confidential-communication address instead of the default one', () => {
    const decision = decideConsent(
      facts({ confidential: { channel: 'email', address: 'private@example.net', id: 'cc-1' } }),
    );
    expect(decision).toMatchObject({
      allowed: true,
      reason: 'confidential_comm_address_override',
      address: 'private@example.net',
      confidentialRequestId: 'cc-1',
    });
    expect(decideConsent(facts({ confidential: { channel: 'postal', id: 'cc-2' } }))).toMatchObject(
      { allowed: false, reason: 'confidential_comm_channel_excluded' },
    );
  });

  it('AC-PAT-4 blocks a send about a subject with an agreed restriction', () => {
    expect(decideConsent(facts({ restriction: { id: 'r-1' } }))).toMatchObject({
      allowed: false,
      reason: 'restriction_agreed',
      details: { restrictionId: 'r-1' },
    });
  });

  it('blocks a channel opt-out', () => {
    const optOut = { purpose: 'treatment', recordedAt: '2026-06-01T00:00:00Z' };
    expect(decideConsent(facts({ emailOptOut: optOut }))).toMatchObject({
      reason: 'channel_opt_out',
    });
  });

  it('AC-SUP-1 a commercial unsubscribe does not block a reminder; a hard bounce blocks both', () => {
    const unsubscribed = [{ scope: 'commercial' as const, cause: 'unsubscribe' as const }];
    const bounced = [{ scope: 'global' as const, cause: 'hard_bounce' as const }];

    expect(decideConsent(facts({ suppressions: unsubscribed })).allowed).toBe(true);
    expect(decideConsent(marketing({ suppressions: unsubscribed }))).toMatchObject({
      reason: 'unsubscribed',
    });
    expect(decideConsent(facts({ suppressions: bounced }))).toMatchObject({
      reason: 'suppressed_hard_bounce',
    });
    expect(decideConsent(marketing({ suppressions: bounced }))).toMatchObject({
      reason: 'suppressed_hard_bounce',
    });
    expect(
      decideConsent(facts({ suppressions: [{ scope: 'treatment', cause: 'opt_out' }] })),
    ).toMatchObject({ reason: 'suppressed' });
  });

  it('AC-BNC-2 blocks every purpose while a soft-bounce suppression is in force', () => {
    const soft = [{ scope: 'global' as const, cause: 'soft_bounce' as const }];

    expect(decideConsent(facts({ suppressions: soft }))).toMatchObject({
      allowed: false,
      reason: 'suppressed_soft_bounce',
    });
    expect(decideConsent(marketing({ suppressions: soft }))).toMatchObject({
      reason: 'suppressed_soft_bounce',
    });
  });

  it('allows marketing with a valid authorization and names its version', () => {
    expect(decideConsent(marketing())).toMatchObject({
      allowed: true,
      reason: 'marketing_authorized',
      authorization: { id: 'auth-1', version: 1 },
    });
  });

  it('blocks marketing without an authorization', () => {
    expect(decideConsent(marketing({ authorizations: [] }))).toMatchObject({
      reason: 'authorization_missing',
    });
  });

  it('AC-AUTH-1 blocks an authorization that expired yesterday in the organisation zone', () => {
    // 2026-06-14 ended at 04:00Z on the 15th in New York; at 14:00Z on the 15th it has expired.
    const expired = { ...AUTHORIZATION, expiresOn: '2026-06-14' };
    expect(decideConsent(marketing({ authorizations: [expired] }))).toEqual({
      allowed: false,
      reason: 'authorization_expired',
      details: {
        expiredAt: '2026-06-15T03:59:59.999Z',
        authorizationId: 'auth-1',
        authorizationVersion: 1,
      },
    });
    const lastDay = { ...AUTHORIZATION, expiresOn: '2026-06-15' };
    expect(decideConsent(marketing({ authorizations: [lastDay] })).allowed).toBe(true);
  });

  it('AC-AUTH-2 blocks an authorization whose expiration event has occurred', () => {
    const ended = {
      ...AUTHORIZATION,
      expiresOn: undefined,
      expiresOnEvent: 'enrollment_end',
      expirationEventOccurredAt: '2026-06-01T00:00:00Z',
    };
    expect(decideConsent(marketing({ authorizations: [ended] }))).toMatchObject({
      reason: 'authorization_expired_event',
      details: { event: 'enrollment_end' },
    });
  });

  it('AC-AUTH-3 blocks a defective authorization and lists what it lacks', () => {
    const defective = {
      ...AUTHORIZATION,
      description: ' ',
      statements: { rightToRevoke: false, conditioning: true, redisclosure: true },
    };
    expect(decideConsent(marketing({ authorizations: [defective] }))).toMatchObject({
      reason: 'authorization_defective',
      details: { missing: ['description', 'statements.rightToRevoke'] },
    });
    const paid = { program: 'wellness-2026', thirdPartyRemuneration: true };
    expect(decideConsent(marketing({ campaign: paid }))).toMatchObject({
      reason: 'authorization_defective',
      details: { missing: ['remunerationDisclosed'] },
    });
  });

  it('AC-AUTH-4 blocks after a revocation, even for a send scheduled before it', () => {
    const revoked = {
      ...AUTHORIZATION,
      revocation: { revokedAt: '2026-06-15T13:00:00Z', method: 'written' },
    };
    expect(decideConsent(marketing({ authorizations: [revoked] }))).toMatchObject({
      reason: 'authorization_revoked',
    });
    expect(
      decideConsent(marketing({ authorizations: [revoked], now: '2026-06-15T12:59:00Z' })).allowed,
    ).toBe(true);
  });

  it('AC-AUTH-5 blocks a campaign outside the authorization scope', () => {
    const other = { program: 'flu-vaccines', thirdPartyRemuneration: false };
    expect(decideConsent(marketing({ campaign: other }))).toMatchObject({
      reason: 'authorization_scope_mismatch',
    });
    const sponsored = {
      program: 'wellness-2026',
      sponsor: 'acme-pharma',
      thirdPartyRemuneration: false,
    };
    expect(decideConsent(marketing({ campaign: sponsored }))).toMatchObject({
      reason: 'authorization_scope_mismatch',
    });
  });
});

describe('classifyPurpose (45 CFR 164.501)', () => {
  const at = { now: NOW, zone: ZONE };
  const refill = { drugRef: 'rx-42', remuneration: 'none' as const };

  it('AC-CLS-2 a refill for a prescription last active 91 days ago is marketing, and blocked without an authorization', () => {
    const classified = classifyPurpose({ purpose: 'treatment', refill }, '2026-03-16', at);

    expect(classified).toEqual({
      purpose: 'marketing',
      reclassifiedBy: 'refill_exception_lapsed_gt_90d',
    });
    expect(decideConsent(facts({ classified }))).toMatchObject({
      allowed: false,
      reason: 'refill_exception_lapsed_gt_90d',
    });
    expect(classifyPurpose({ purpose: 'treatment', refill }, '2026-03-17', at).purpose).toBe(
      'treatment',
    );
  });

  it('AC-CLS-3 a treatment-alternative message a third party pays for is marketing', () => {
    expect(
      classifyPurpose({ purpose: 'treatment', thirdPartyRemuneration: true }, undefined, at),
    ).toEqual({ purpose: 'marketing', reclassifiedBy: 'third_party_remuneration' });
  });

  it('AC-CLS-4 reminders and current refills with no or cost-related payment stay treatment', () => {
    expect(classifyPurpose({ purpose: 'treatment' }, undefined, at).purpose).toBe('treatment');
    expect(
      classifyPurpose(
        { purpose: 'treatment', refill: { ...refill, remuneration: 'cost_related' } },
        '2026-06-01',
        at,
      ),
    ).toEqual({ purpose: 'treatment' });
    expect(
      classifyPurpose(
        { purpose: 'treatment', refill: { ...refill, remuneration: 'other' } },
        '2026-06-01',
        at,
      ).purpose,
    ).toBe('marketing');
    expect(classifyPurpose({ purpose: 'treatment', refill }, undefined, at).reclassifiedBy).toBe(
      'refill_prescription_unknown',
    );
  });
});
