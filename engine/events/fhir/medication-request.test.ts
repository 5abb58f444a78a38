import type { MedicationRequest } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/app-error.js';
import { readMedicationRequest } from './medication-request.js';

const CONTEXT = {
  orgTimeZone: 'America/New_York',
  known: undefined,
  resolveMedication: () => undefined,
};

function request(overrides: Partial<MedicationRequest> = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: 'rx1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    authoredOn: '2015-01-15',
    medicationCodeableConcept: { text: 'Azithromycin 250 mg' },
    dispenseRequest: {
      validityPeriod: { start: '2015-01-15', end: '2016-01-15' },
      numberOfRepeatsAllowed: 1,
      expectedSupplyDuration: { value: 5, unit: 'days', code: 'd' },
    },
    ...overrides,
  };
}

function dueDateOf(overrides: Partial<MedicationRequest>): string | undefined {
  const reading = readMedicationRequest(request(overrides), CONTEXT);
  return reading.kind === 'event' ? reading.data.prescription.dueDate : reading.reason;
}

describe('readMedicationRequest', () => {
  it('is due when the supply runs out: start + 5 days × (1 + 1 repeat)', () => {
    expect(dueDateOf({})).toBe('2015-01-25');
  });

  it.each([
    [
      'validity ends before the supply',
      { validityPeriod: { start: '2015-01-15', end: '2015-01-20' } },
      '2015-01-20',
    ],
    ['no repeats', { numberOfRepeatsAllowed: 0 }, '2015-01-20'],
    ['a supply in weeks', { expectedSupplyDuration: { value: 2, code: 'wk' } }, '2015-02-12'],
    ['a supply in months', { expectedSupplyDuration: { value: 1, unit: 'month' } }, '2015-03-15'],
    ['no supply duration, only validity', { expectedSupplyDuration: undefined }, '2016-01-15'],
  ])('takes the earlier of validity end and supply end with %s', (_why, dispense, due) => {
    const base = request().dispenseRequest;

    expect(dueDateOf({ dispenseRequest: { ...base, ...dispense } })).toBe(due);
  });

  it('counts from authoredOn when the validity period has no start', () => {
    expect(
      dueDateOf({
        authoredOn: '2020-02-27',
        dispenseRequest: {
          numberOfRepeatsAllowed: 0,
          expectedSupplyDuration: { value: 3, code: 'd' },
        },
      }),
    ).toBe('2020-03-01');
  });

  it('reads a dateTime start as its calendar day in the organisation zone', () => {
    // 02:00Z on the 16th is still the 15th in New York.
    expect(
      dueDateOf({
        dispenseRequest: {
          validityPeriod: { start: '2015-01-16T02:00:00Z' },
          expectedSupplyDuration: { value: 10, code: 'd' },
        },
      }),
    ).toBe('2015-01-25');
  });

  it.each(['completed', 'on-hold', 'stopped', 'cancelled', 'draft'] as const)(
    'starts nothing for a %s prescription',
    (status) => {
      expect(dueDateOf({ status })).toBe('prescription_not_active');
    },
  );

  it('starts nothing without a dispense request, or without data to compute a date from', () => {
    expect(dueDateOf({ dispenseRequest: undefined })).toBe('prescription_no_dispense_data');
    expect(
      dueDateOf({ authoredOn: undefined, dispenseRequest: { numberOfRepeatsAllowed: 2 } }),
    ).toBe('prescription_no_dispense_data');
  });

  it('names the medication from a contained Medication when referenced', () => {
    const reading = readMedicationRequest(
      request({ medicationCodeableConcept: undefined, medicationReference: { reference: '#med' } }),
      {
        ...CONTEXT,
        resolveMedication: (reference) =>
          reference === '#med'
            ? {
                resourceType: 'Medication',
                code: { coding: [{ display: 'Azithromycin capsule' }] },
              }
            : undefined,
      },
    );

    expect(reading.kind === 'event' && reading.data.prescription.medication).toBe(
      'Azithromycin capsule',
    );
  });

  it('is unchanged when Pathwell knows the same status and due date', () => {
    const reading = readMedicationRequest(request(), {
      ...CONTEXT,
      known: { status: 'active', dueDate: '2015-01-25' },
    });

    expect(reading).toEqual({ kind: 'ignored', reason: 'prescription_unchanged' });
  });

  it('refuses a due prescription without a subject, and a malformed date, naming the field', () => {
    const fieldOf = (overrides: Partial<MedicationRequest>) => {
      try {
        readMedicationRequest(request(overrides), CONTEXT);
      } catch (error) {
        return isAppError(error) ? [error.code, error.issues?.[0]?.field] : 'other';
      }
      return 'no error';
    };

    expect(fieldOf({ subject: undefined })).toEqual(['resource_subject_missing', 'subject']);
    expect(
      fieldOf({
        authoredOn: 'soon',
        dispenseRequest: { expectedSupplyDuration: { value: 1, code: 'd' } },
      }),
    ).toEqual(['resource_date_invalid', 'authoredOn']);
  });
});
