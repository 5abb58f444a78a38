import type { Encounter } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { readEncounter } from './encounter.js';

const CONTEXT = { orgTimeZone: 'America/New_York', receivedAt: '2026-06-01T12:00:00Z' };

function encounter(overrides: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { code: 'IMP' },
    subject: { reference: 'Patient/p1' },
    period: { start: '2026-05-20T08:00:00+02:00', end: '2026-05-28T15:30:00+02:00' },
    ...overrides,
  };
}

describe('readEncounter', () => {
  it('reads a finished inpatient stay as a discharge at period.end', () => {
    expect(readEncounter(encounter(), CONTEXT)).toMatchObject({
      kind: 'event',
      data: {
        discharge: {
          encounterId: 'e1',
          at: '2026-05-28T13:30:00Z',
          isApproximate: false,
          class: 'IMP',
        },
      },
      subjectReference: 'Patient/p1',
    });
  });

  it.each(['EMER', 'ACUTE', 'NONAC'])('counts the %s class as a discharge', (code) => {
    expect(readEncounter(encounter({ class: { code } }), CONTEXT).kind).toBe('event');
  });

  it('counts any class that names a discharge disposition', () => {
    const ambulatory = encounter({
      class: { code: 'AMB' },
      hospitalization: { dischargeDisposition: { text: 'Home' } },
    });

    expect(readEncounter(ambulatory, CONTEXT).kind).toBe('event');
  });

  it('starts nothing for an ambulatory visit without a disposition', () => {
    expect(readEncounter(encounter({ class: { code: 'AMB' } }), CONTEXT)).toEqual({
      kind: 'ignored',
      reason: 'encounter_not_discharge',
    });
  });

  it.each(['in-progress', 'planned', 'cancelled', 'entered-in-error'] as const)(
    'starts nothing while %s',
    (status) => {
      expect(readEncounter(encounter({ status }), CONTEXT)).toEqual({
        kind: 'ignored',
        reason: 'encounter_not_finished',
      });
    },
  );

  it('reads a date-only end as the start of that day in the organisation zone, approximate', () => {
    const reading = readEncounter(
      encounter({ period: { start: '2013-03-11', end: '2013-03-20' } }),
      CONTEXT,
    );

    // New York is on daylight time (UTC-4) by 20 March 2013.
    expect(reading).toMatchObject({
      data: { discharge: { at: '2013-03-20T04:00:00Z', isApproximate: true } },
    });
  });

  it('falls back to meta.lastUpdated, then the time received, marked approximate', () => {
    const updated = encounter({ period: undefined, meta: { lastUpdated: '2026-05-30T10:00:00Z' } });
    const bare = encounter({ period: undefined });

    expect(readEncounter(updated, CONTEXT)).toMatchObject({
      data: { discharge: { at: '2026-05-30T10:00:00Z', isApproximate: true } },
    });
    expect(readEncounter(bare, CONTEXT)).toMatchObject({
      data: { discharge: { at: '2026-06-01T12:00:00Z', isApproximate: true } },
    });
  });

  it('refuses a malformed period.end with the field named', () => {
    expect(() => readEncounter(encounter({ period: { end: '28/05/2026' } }), CONTEXT)).toThrow(
      expect.objectContaining({
        code: 'resource_date_invalid',
        issues: [expect.objectContaining({ field: 'period.end' })],
      }),
    );
  });
});
