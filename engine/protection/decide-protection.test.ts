import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTECTION_POLICIES, PURPOSES, SENSITIVITIES } from '../journey/vocabulary.js';
import { decideProtection, type ProtectionFacts } from './decide-protection.js';
import {
  DEFAULT_ORG_PROTECTION_POLICY,
  PATIENT_PREFERENCES,
  TRANSPORT_POSTURES,
} from './protection-inputs.js';

const ACCEPTED = {
  warningTextVersion: 'w-2026-01',
  acceptedAt: '2026-01-05T10:00:00Z',
  method: 'web',
} as const;

function facts(overrides: Partial<ProtectionFacts> = {}): ProtectionFacts {
  return {
    policy: 'auto',
    purpose: 'treatment',
    sensitivity: 'S1',
    transport: 'pkix_tls_ok',
    isUnknownPastWindow: false,
    hasValidKey: false,
    patientPreference: 'any',
    isEmailExcluded: false,
    org: DEFAULT_ORG_PROTECTION_POLICY,
    ...overrides,
  };
}

describe('decideProtection (COMPLIANCE.md §1.9)', () => {
  it('AC-DEC-1 row 1: blocks email when the patient wants none or a confidential request excludes it', () => {
    expect(decideProtection(facts({ patientPreference: 'no_email' }))).toEqual({
      outcome: 'blocked',
      reason: 'confidential_comm_channel_excluded',
      row: 1,
    });
    expect(decideProtection(facts({ isEmailExcluded: true })).outcome).toBe('blocked');
  });

  it('AC-DEC-2 row 2: uses the portal for portal_only, a forcing org policy or a portal node', () => {
    for (const input of [
      facts({ patientPreference: 'portal_only' }),
      facts({ org: { ...DEFAULT_ORG_PROTECTION_POLICY, forcePortal: true } }),
      facts({ policy: 'portal' }),
    ]) {
      expect(decideProtection(input)).toMatchObject({
        outcome: 'deliver',
        method: 'portal',
        row: 2,
      });
    }
  });

  it('AC-DEC-3 row 3: encrypts S3 content with a valid key, over verified TLS when there is some', () => {
    expect(decideProtection(facts({ sensitivity: 'S3', hasValidKey: true }))).toMatchObject({
      method: 'pgp',
      hop: 'verified',
      row: 3,
      reason: 'method_pgp',
    });
    expect(
      decideProtection(facts({ sensitivity: 'S3', hasValidKey: true, transport: 'no_tls' })),
    ).toMatchObject({ method: 'pgp', hop: 'opportunistic', row: 3 });
  });

  it('AC-DEC-4 row 4: sends S3 content without a key through the portal, even over verified TLS', () => {
    expect(decideProtection(facts({ sensitivity: 'S3' }))).toMatchObject({
      method: 'portal',
      row: 4,
    });
  });

  it('AC-DEC-5 row 5: uses PGP when the patient asked for end-to-end and has a valid key (any S)', () => {
    for (const sensitivity of ['S0', 'S1', 'S2'] as const) {
      expect(
        decideProtection(facts({ sensitivity, patientPreference: 'e2e', hasValidKey: true })),
      ).toMatchObject({ method: 'pgp', row: 5 });
    }
    expect(decideProtection(facts({ policy: 'pgp_preferred', hasValidKey: true }))).toMatchObject({
      method: 'pgp',
      row: 5,
    });
    expect(decideProtection(facts({ patientPreference: 'e2e' }))).toMatchObject({
      method: 'portal',
      reason: 'e2e_key_unavailable_fallback_portal',
    });
  });

  it('AC-DEC-6 row 6: delivers S1/S2 only over verified TLS when the domain has it', () => {
    for (const transport of ['dane_ok', 'sts_enforce_ok', 'pkix_tls_ok'] as const) {
      for (const sensitivity of ['S1', 'S2'] as const) {
        expect(decideProtection(facts({ transport, sensitivity }))).toEqual({
          outcome: 'deliver',
          method: 'tls_verified',
          hop: 'verified',
          reason: 'method_tls_verified',
          row: 6,
        });
      }
    }
  });

  it('AC-DEC-7 row 7: sends unencrypted only after a recorded warning, when the org allows it', () => {
    const org = { ...DEFAULT_ORG_PROTECTION_POLICY, allowPatientAcceptedUnencrypted: true };
    const input = facts({
      transport: 'no_tls',
      patientPreference: 'unencrypted_accepted',
      unencryptedAcceptance: ACCEPTED,
      org,
    });

    expect(decideProtection(input)).toEqual({
      outcome: 'deliver',
      method: 'unencrypted_patient_accepted',
      hop: 'opportunistic',
      reason: 'method_unencrypted_patient_accepted',
      row: 7,
      warningVersion: 'w-2026-01',
    });
    expect(decideProtection({ ...input, org: DEFAULT_ORG_PROTECTION_POLICY }).row).toBe(8);
    expect(decideProtection({ ...input, purpose: 'marketing' }).row).toBe(9);
    expect(decideProtection({ ...input, policy: 'tls_required' }).row).toBe(8);
  });

  it('AC-PAT-3: an unencrypted acceptance without its warning version, time or staff counts as any', () => {
    const org = { ...DEFAULT_ORG_PROTECTION_POLICY, allowPatientAcceptedUnencrypted: true };
    const base = facts({ transport: 'no_tls', patientPreference: 'unencrypted_accepted', org });

    expect(decideProtection(base).row).toBe(8);
    expect(
      decideProtection({ ...base, unencryptedAcceptance: { ...ACCEPTED, warningTextVersion: '' } })
        .row,
    ).toBe(8);
    expect(
      decideProtection({ ...base, unencryptedAcceptance: { ...ACCEPTED, method: 'verbal' } }).row,
    ).toBe(8);
    expect(
      decideProtection({
        ...base,
        unencryptedAcceptance: { ...ACCEPTED, method: 'verbal', staffId: 'staff-7' },
      }).row,
    ).toBe(7);
  });

  it('AC-DEC-8 row 8: falls back to the portal for treatment and operations without verified TLS', () => {
    for (const purpose of ['treatment', 'operations'] as const) {
      for (const transport of ['tls_unverified', 'no_tls'] as const) {
        expect(decideProtection(facts({ purpose, transport, sensitivity: 'S2' }))).toMatchObject({
          method: 'portal',
          reason: 'tls_unavailable_fallback_portal',
          row: 8,
        });
      }
    }
  });

  it('AC-DEC-9 row 9: drops marketing without verified TLS, or portals it when the org says so', () => {
    expect(decideProtection(facts({ purpose: 'marketing', transport: 'no_tls' }))).toEqual({
      outcome: 'blocked',
      reason: 'tls_required_not_supported',
      row: 9,
    });
    const org = { ...DEFAULT_ORG_PROTECTION_POLICY, marketingFallback: 'portal' as const };
    expect(
      decideProtection(facts({ purpose: 'marketing', transport: 'tls_unverified', org })),
    ).toMatchObject({ method: 'portal', row: 9, reason: 'tls_unavailable_fallback_portal' });
    expect(
      decideProtection(
        facts({ purpose: 'marketing', transport: 'no_tls', org, policy: 'tls_required' }),
      ),
    ).toMatchObject({ outcome: 'blocked', row: 9 });
  });

  it('AC-DEC-10 row 10: lets S0 go opportunistically only when the org allows it', () => {
    const org = { ...DEFAULT_ORG_PROTECTION_POLICY, allowOpportunisticForS0: true };
    expect(decideProtection(facts({ sensitivity: 'S0', transport: 'no_tls', org }))).toEqual({
      outcome: 'deliver',
      method: 'tls_opportunistic',
      hop: 'opportunistic',
      reason: 'method_tls_opportunistic',
      row: 10,
    });
    expect(decideProtection(facts({ sensitivity: 'S0', transport: 'no_tls' }))).toEqual({
      outcome: 'blocked',
      reason: 'tls_required_not_supported',
      row: 10,
    });
    expect(decideProtection(facts({ sensitivity: 'S0' }))).toMatchObject({
      method: 'tls_verified',
      row: 10,
    });
  });

  it('AC-DEC-11 row 11: defers while the posture is unknown, then decides as if there were no TLS', () => {
    expect(decideProtection(facts({ transport: 'unknown' }))).toEqual({
      outcome: 'deferred',
      reason: 'capability_unknown_deferred',
      row: 11,
    });
    expect(
      decideProtection(facts({ transport: 'unknown', isUnknownPastWindow: true })),
    ).toMatchObject({ method: 'portal', row: 8 });
  });

  it('AC-DEC-14: no input yields plaintext for S2/S3 except row 7, and row 7 never for S3', () => {
    const arbitraryFacts = fc.record({
      policy: fc.constantFrom(...PROTECTION_POLICIES),
      purpose: fc.constantFrom(...PURPOSES),
      sensitivity: fc.constantFrom(...SENSITIVITIES),
      transport: fc.constantFrom(...TRANSPORT_POSTURES),
      isUnknownPastWindow: fc.boolean(),
      hasValidKey: fc.boolean(),
      patientPreference: fc.constantFrom(...PATIENT_PREFERENCES),
      unencryptedAcceptance: fc.option(fc.constant(ACCEPTED), { nil: undefined }),
      isEmailExcluded: fc.boolean(),
      org: fc.record({
        allowPatientAcceptedUnencrypted: fc.boolean(),
        allowOpportunisticForS0: fc.boolean(),
        marketingFallback: fc.constantFrom('drop' as const, 'portal' as const),
        forcePortal: fc.boolean(),
      }),
    });

    fc.assert(
      fc.property(arbitraryFacts, (input) => {
        const decision = decideProtection(input);
        if (decision.outcome !== 'deliver') {
          return;
        }
        const isPlain =
          decision.method === 'unencrypted_patient_accepted' ||
          decision.method === 'tls_opportunistic';
        if (isPlain && input.sensitivity !== 'S0') {
          expect(decision.row).toBe(7);
          expect(input.sensitivity).not.toBe('S3');
          expect(['treatment', 'operations']).toContain(input.purpose);
        }
        if (decision.method === 'tls_verified') {
          expect(decision.hop).toBe('verified');
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
