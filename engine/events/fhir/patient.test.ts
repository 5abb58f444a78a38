import type { Patient } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { isEmailAddress, normalisePatient } from './patient.js';

const NOW = '2026-06-01T12:00:00Z';

describe('normalisePatient', () => {
  it('takes the official name before the usual one and keeps non-ASCII letters', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      name: [
        { use: 'usual', given: ['Jim'] },
        { use: 'official', given: ['Jürgen', 'Karl'], family: 'Müller' },
      ],
    };

    const record = normalisePatient(patient, NOW);

    expect(record).toMatchObject({
      firstName: 'Jürgen',
      lastName: 'Müller',
      displayName: 'Jürgen Karl Müller',
    });
  });

  it('falls back to the name text when the parts are missing', () => {
    const record = normalisePatient(
      { resourceType: 'Patient', name: [{ text: 'Ana María' }] },
      NOW,
    );

    expect(record.displayName).toBe('Ana María');
    expect(record.firstName).toBeUndefined();
  });

  it('chooses the best current email by rank, then use, and skips ended and malformed ones', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      telecom: [
        { system: 'email', value: '89898989', use: 'home' },
        { system: 'email', value: 'old@example.org', use: 'home', period: { end: '2020-01-01' } },
        { system: 'email', value: 'work@example.org', use: 'work' },
        { system: 'email', value: 'home@example.org', use: 'home' },
        { system: 'email', value: 'ranked@example.org', use: 'work', rank: 1 },
        { system: 'phone', value: 'phone@example.org' },
      ],
    };

    expect(normalisePatient(patient, NOW).email).toBe('ranked@example.org');
    patient.telecom = patient.telecom?.filter((point) => point.rank === undefined);
    expect(normalisePatient(patient, NOW).email).toBe('home@example.org');
  });

  it('marks a patient deceased by flag or by date, and reads zone and language', () => {
    const record = normalisePatient(
      {
        resourceType: 'Patient',
        deceasedDateTime: '2025-02-01',
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: 'Europe/Berlin' },
        ],
        communication: [{ language: { coding: [{ code: 'de' }] }, preferred: true }],
      },
      NOW,
    );

    expect(record).toMatchObject({ deceased: true, timeZone: 'Europe/Berlin', language: 'de' });
  });

  it('ignores a timezone extension that names no real zone', () => {
    const record = normalisePatient(
      {
        resourceType: 'Patient',
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: 'Mars/Olympus' },
        ],
      },
      NOW,
    );

    expect(record.timeZone).toBeUndefined();
  });
});

describe('isEmailAddress', () => {
  it.each(['a@b.org', 'first.last+tag@sub.example.co.uk'])('accepts %s', (value) => {
    expect(isEmailAddress(value)).toBe(true);
  });

  it.each(['89898989', 'a@b', 'a b@c.org', 'Ann\r\nBcc: x@evil.test', '<a@b.org>'])(
    'refuses %j',
    (value) => {
      expect(isEmailAddress(value)).toBe(false);
    },
  );
});
