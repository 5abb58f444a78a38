import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import type { IngestLookups } from '../ingest-plan.js';
import { type FhirMapping, FhirMappingSchema } from './generic-mapping.js';
import { type FhirPlanContext, lookupsNeeded, planFhirIngest } from './plan-fhir.js';
import { addFetched, readFhirBody } from './read-body.js';

const NOW = '2026-06-01T12:00:00Z';
const OPTIONS: { now: string; mappings: FhirMapping[] } = { now: NOW, mappings: [] };
const CONTEXT: FhirPlanContext = { orgTimeZone: 'America/New_York', receivedAt: NOW, mappings: [] };
const NOTHING: IngestLookups = {
  knownAppointments: new Map(),
  knownPrescriptions: new Map(),
  directoryPatients: new Set(),
  seenKeys: new Set(),
};

const patient: FhirResource = {
  resourceType: 'Patient',
  id: 'p1',
  telecom: [{ system: 'email', value: 'p1@example.org' }],
};
const discharge: FhirResource = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { code: 'IMP' },
  subject: { reference: 'urn:uuid:patient-1' },
  period: { end: '2026-05-30T09:00:00Z' },
};

function bundle(...entries: Array<{ fullUrl?: string; resource: FhirResource }>): Bundle {
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

function plan(body: unknown, lookups = NOTHING, context = CONTEXT) {
  const reading = readFhirBody(body, { ...OPTIONS, mappings: context.mappings });
  return planFhirIngest(reading, lookups, context);
}

describe('planFhirIngest', () => {
  it('resolves a urn:uuid subject to the Patient in the Bundle', () => {
    const result = plan(
      bundle({ fullUrl: 'urn:uuid:patient-1', resource: patient }, { resource: discharge }),
    );

    expect(result.events).toMatchObject([
      {
        type: 'patient.discharged',
        subject: { resourceType: 'Encounter', id: 'e1' },
        patientSourceId: 'p1',
      },
    ]);
    expect(result.patients.map((entry) => entry.sourceId)).toEqual(['p1']);
  });

  it('asks for a referenced patient it does not carry, and uses the directory when it has it', () => {
    const alone = { ...discharge, subject: { reference: 'Patient/p9' } };
    const reading = readFhirBody(alone, OPTIONS);

    expect(lookupsNeeded(reading).patientIds).toEqual(['p9']);
    expect(planFhirIngest(reading, NOTHING, CONTEXT).ignored).toContainEqual({
      resourceType: 'Encounter',
      id: 'e1',
      reason: 'patient_unknown',
    });
    expect(
      planFhirIngest(reading, { ...NOTHING, directoryPatients: new Set(['p9']) }, CONTEXT).events,
    ).toHaveLength(1);
  });

  it('takes a patient contained in the resource, filed under its container', () => {
    const result = plan({
      ...discharge,
      contained: [patient],
      subject: { reference: '#p1' },
    });

    expect(result.events).toMatchObject([{ patientSourceId: 'Encounter/e1#p1' }]);
    expect(result.patients).toMatchObject([
      { sourceId: 'Encounter/e1#p1', record: { email: 'p1@example.org' } },
    ]);
  });

  it('never takes a practitioner or a related person as the patient', () => {
    const result = plan(
      bundle(
        {
          resource: {
            resourceType: 'RelatedPerson',
            id: 'r1',
            patient: { reference: 'Patient/p1' },
          },
        },
        { resource: { ...discharge, subject: { reference: 'RelatedPerson/r1' } } },
      ),
    );

    expect(result.events).toEqual([]);
    expect(result.ignored).toContainEqual({
      resourceType: 'Encounter',
      id: 'e1',
      reason: 'patient_unknown',
    });
  });

  it('names the Bundle entry in the path of a field that breaks a rule', () => {
    const broken = { ...discharge, period: { end: 'yesterday' } };

    expect(() =>
      plan(bundle({ fullUrl: 'urn:uuid:patient-1', resource: patient }, { resource: broken })),
    ).toThrow(
      expect.objectContaining({
        code: 'resource_date_invalid',
        issues: [expect.objectContaining({ field: 'Bundle.entry[1].resource.period.end' })],
      }),
    );
  });

  it('answers a redelivered version as a redelivery, not as a new event', () => {
    const versioned = {
      ...discharge,
      subject: { reference: 'Patient/p1' },
      meta: { versionId: '3' },
    };

    const result = plan(versioned, { ...NOTHING, seenKeys: new Set(['Encounter/e1/_history/3']) });

    expect(result.redelivered).toEqual([
      { resourceType: 'Encounter', id: 'e1', idempotencyKey: 'Encounter/e1/_history/3' },
    ]);
  });

  it('lists the focus of an id-only notification to fetch, then plans it once fetched', () => {
    const notification: Bundle = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        {
          resource: {
            resourceType: 'Parameters' as const,
            id: 'n1',
            parameter: [
              { name: 'subscription', valueString: 'https://ehr.example/Subscription/s' },
              { name: 'type', valueCode: 'event-notification' },
              {
                name: 'notification-event',
                part: [
                  {
                    name: 'focus',
                    valueReference: { reference: 'https://ehr.example/fhir/Encounter/e1' },
                  },
                ],
              },
            ],
          },
        } as BundleEntry,
      ],
    };
    const reading = readFhirBody(notification, OPTIONS);
    expect(reading.toFetch).toEqual([{ resourceType: 'Encounter', id: 'e1' }]);
    expect(reading.ignored).toEqual([]);

    const fetched = addFetched(
      reading,
      [{ ...discharge, subject: { reference: 'Patient/p1' } }, patient],
      OPTIONS,
    );
    const result = planFhirIngest(fetched, NOTHING, CONTEXT);

    expect(result.events.map((event) => event.type)).toEqual(['patient.discharged']);
  });

  it('maps a configured resource type to its event type', () => {
    const mappings = [
      FhirMappingSchema.parse({
        resourceType: 'ServiceRequest',
        eventType: 'order.placed',
        statuses: ['active'],
        occurredAt: 'authoredOn',
        data: { code: 'code.coding.code' },
      }),
    ];
    const order = {
      resourceType: 'ServiceRequest',
      id: 'sr1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      authoredOn: '2026-05-01T10:00:00Z',
      code: { coding: [{ code: '123' }] },
    } as FhirResource;

    const result = plan(bundle({ resource: patient }, { resource: order }), NOTHING, {
      ...CONTEXT,
      mappings,
    });

    expect(result.events).toMatchObject([
      {
        type: 'order.placed',
        occurredAt: '2026-05-01T10:00:00Z',
        data: { serviceRequest: { id: 'sr1', status: 'active', code: '123' } },
      },
    ]);
  });

  it('refuses a mapping of a type Pathwell reads itself', () => {
    expect(
      FhirMappingSchema.safeParse({ resourceType: 'Encounter', eventType: 'visit.done' }).success,
    ).toBe(false);
  });
});
