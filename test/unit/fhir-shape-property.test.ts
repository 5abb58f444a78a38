import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../engine/errors/app-error.js';
import { lookupsNeeded, planFhirIngest } from '../../engine/events/fhir/plan-fhir.js';
import { readFhirBody } from '../../engine/events/fhir/read-body.js';
import { hasFixtures, readFixture } from '../support/fixtures.js';

// Real resources with one field replaced by any JSON value: a body is typed as FHIR but not
// checked against it, and the webhook promises a 4xx for bad input, never a 5xx: anything but
// an AppError thrown here would be a 500.
const FIXTURES = [
  'fhir-r4-core/appointment-example.json',
  'fhir-r4-core/appointment-example2doctors.json',
  'fhir-r4-core/encounter-example-f001-heart.json',
  'fhir-r4-core/medicationrequest0302.json',
  'fhir-r4-core/patient-example-f001-pieter.json',
];

const RECEIVED_AT = '2026-12-03T10:00:00Z';

function ingest(body: unknown): void {
  const reading = readFhirBody(body, { now: RECEIVED_AT, mappings: [] });
  lookupsNeeded(reading, []);
  planFhirIngest(
    reading,
    {
      knownAppointments: new Map(),
      knownPrescriptions: new Map(),
      directoryPatients: new Set(),
      seenKeys: new Set(),
    },
    { orgTimeZone: 'America/New_York', receivedAt: RECEIVED_AT, mappings: [] },
  );
}

/** Replaces one field, at the top or one level down, with `value` (or removes it). */
function mutated(resource: Record<string, unknown>, pick: number, value: unknown): unknown {
  const copy = structuredClone(resource);
  const keys = Object.keys(copy).filter((key) => key !== 'resourceType');
  const key = keys[pick % keys.length] as string;
  const inner = copy[key];
  const innerTarget = Array.isArray(inner) ? inner[0] : inner;
  if (typeof innerTarget === 'object' && innerTarget !== null && pick % 2 === 1) {
    const innerKeys = Object.keys(innerTarget);
    const innerKey = innerKeys[pick % Math.max(innerKeys.length, 1)];
    if (innerKey !== undefined) {
      (innerTarget as Record<string, unknown>)[innerKey] = value;
      return copy;
    }
  }
  if (value === undefined) {
    delete copy[key];
  } else {
    copy[key] = value;
  }
  return copy;
}

describe.skipIf(!hasFixtures)('FHIR reading of structurally wrong resources', () => {
  it('refuses with a Pathwell error or reads on, never a TypeError', () => {
    const resources = FIXTURES.map((file) => readFixture<Record<string, unknown>>(file));
    fc.assert(
      fc.property(
        fc.nat({ max: resources.length - 1 }),
        fc.nat(),
        fc.option(fc.jsonValue(), { nil: undefined }),
        fc.boolean(),
        (which, pick, value, asBundle) => {
          const resource = mutated(resources[which] as Record<string, unknown>, pick, value);
          const patient = resources[4];
          const body = asBundle
            ? {
                resourceType: 'Bundle',
                type: 'collection',
                entry: [{ resource: patient }, { resource }],
              }
            : resource;
          try {
            ingest(body);
          } catch (error) {
            expect(isAppError(error), String(error)).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
