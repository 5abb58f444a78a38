import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, Encounter, Patient } from 'fhir/r4.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvent } from '../../server/db/inbox.store.js';
import { loadPatient } from '../../server/db/patients.store.js';
import { type FhirTestServer, startFhirTestServer } from '../support/fhir-test-server.js';
import {
  FIXTURES_DIR,
  hasFixtures,
  listFixtures,
  readFixture,
  reminderBundle,
} from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { HL7_HOOK_EXPECTATIONS } from './hl7-hook.expectations.js';

/** An event a body should produce: its type, subject, and the values that matter in its data. */
interface ExpectedEvent {
  type: string;
  subject: [string, string];
  /**
   * Dotted paths into the event's data: a string compares as is (`'received'`: the time the
   * body was received), `{ instant }` as an instant.
   */
  data?: Record<string, string | boolean | { instant: string }>;
}

/** What one body should do, written by hand from reading the fixture (not from the code). */
interface Expected {
  status: number;
  accepted?: string[];
  events?: ExpectedEvent[];
  ignored?: Array<[string, string]>;
  stored?: number;
  code?: string;
}

// Order matters: patients are posted before the resources that reference them. The local FHIR
// server (the EHR is outside this machine) serves three resources the fixtures reference but do
// not carry, derived from fixtures: Patient/pat1 and Patient/f201 (the MedicationRequest and
// inpatient Encounter subjects) and the Encounter the id-only notification names.
const FIXTURE_EXPECTATIONS: Array<[string, Expected]> = [
  // Patient/example is neither in the body, the directory nor the FHIR server yet.
  [
    'fhir-r4-core/appointment-example.json',
    { status: 202, accepted: [], ignored: [['Appointment', 'patient_unknown']] },
  ],
  ['fhir-r4-core/patient-example.json', { status: 202, accepted: [], stored: 1 }],
  [
    'fhir-r4-core/appointment-example2doctors.json',
    {
      status: 202,
      accepted: ['appointment.booked'],
      events: [
        {
          type: 'appointment.booked',
          subject: ['Appointment', '2docs'],
          data: { 'appointment.start': { instant: '2013-12-09T09:00:00Z' } },
        },
      ],
    },
  ],
  [
    'fhir-r4-core/appointment-example-request.json',
    { status: 202, accepted: [], ignored: [['Appointment', 'appointment_proposed']] },
  ],
  ['fhir-r4-core/patient-example-d.json', { status: 202, stored: 1 }],
  ['fhir-r4-core/patient-example-f001-pieter.json', { status: 202, stored: 1 }],
  ['fhir-r4-core/patient-example-newborn.json', { status: 202, stored: 1 }],
  [
    'fhir-r4-core/encounter-example-emerg.json',
    { status: 202, accepted: [], ignored: [['Encounter', 'encounter_not_finished']] },
  ],
  // Finished, ambulatory, but "Discharge to home"; no period and no meta.lastUpdated, so the
  // discharge time is when it was received, marked approximate.
  [
    'fhir-r4-core/encounter-example-f001-heart.json',
    {
      status: 202,
      accepted: ['patient.discharged'],
      events: [
        {
          type: 'patient.discharged',
          subject: ['Encounter', 'f001'],
          data: { 'discharge.at': 'received', 'discharge.isApproximate': true },
        },
      ],
    },
  ],
  // Inpatient, finished, period end the date 2013-03-20: the start of that day in New York
  // (daylight time since 10 March 2013). Patient/f201 is read from the FHIR server.
  [
    'fhir-r4-core/encounter-example-f203-20130311.json',
    {
      status: 202,
      accepted: ['patient.discharged'],
      stored: 1,
      events: [
        {
          type: 'patient.discharged',
          subject: ['Encounter', 'f203'],
          data: {
            'discharge.at': { instant: '2013-03-20T04:00:00Z' },
            'discharge.isApproximate': true,
          },
        },
      ],
    },
  ],
  // validityPeriod 2015-01-15..2016-01-15, 5-day supply, 1 repeat: due 2015-01-25.
  [
    'fhir-r4-core/medicationrequest0302.json',
    {
      status: 202,
      accepted: ['prescription.renewal_due'],
      stored: 1,
      events: [
        {
          type: 'prescription.renewal_due',
          subject: ['MedicationRequest', 'medrx0302'],
          data: {
            'prescription.dueDate': '2015-01-25',
            'prescription.medication': 'Azithromycin 250mg capsule (product)',
          },
        },
      ],
    },
  ],
  [
    'fhir-r4-core/medicationrequest0320.json',
    { status: 202, accepted: [], ignored: [['MedicationRequest', 'prescription_not_active']] },
  ],
  [
    'fhir-r4-core/medicationrequestexample2.json',
    {
      status: 202,
      accepted: [],
      ignored: [['MedicationRequest', 'prescription_no_dispense_data']],
    },
  ],
  [
    'fhir-r4-core/subscription-example.json',
    { status: 202, accepted: [], ignored: [['Subscription', 'resource_type_unsupported']] },
  ],
  [
    'fhir-converted/SIU-S15-01-expected.json',
    {
      status: 202,
      accepted: ['appointment.cancelled'],
      stored: 1,
      events: [
        {
          type: 'appointment.cancelled',
          subject: ['Appointment', 'b7121f46-cf50-5cec-7cfb-5de8e42b82d2'],
          data: { 'appointment.start': { instant: '2021-09-24T12:45:00+05:30' } },
        },
      ],
    },
  ],
  // Class PRENC, but a discharge disposition; period end 2015-02-09T15:54:19+05:30.
  [
    'fhir-converted/ADT-A03-02-expected.json',
    {
      status: 202,
      accepted: ['patient.discharged'],
      stored: 1,
      events: [
        {
          type: 'patient.discharged',
          subject: ['Encounter', '4b192760-03d2-aec4-b0a6-fde323912e1e'],
          data: {
            'discharge.at': { instant: '2015-02-09T15:54:19+05:30' },
            'discharge.isApproximate': false,
          },
        },
      ],
    },
  ],
  // 20 ambulatory Encounters and 5 stopped MedicationRequests: nothing to start.
  [
    'fhir-synthea/Bundle-Patient-01.json',
    {
      status: 202,
      accepted: [],
      stored: 1,
      ignored: [
        ['Encounter', 'encounter_not_discharge'],
        ['MedicationRequest', 'prescription_not_active'],
      ],
    },
  ],
  [
    'fhir-synthea/Bundle-transaction-01.json',
    { status: 202, accepted: [], stored: 5, ignored: [['Encounter', 'encounter_not_discharge']] },
  ],
  [
    'fhir-subscriptions/r4/Bundle-notification-handshake.json',
    { status: 202, accepted: [], ignored: [['Parameters', 'subscription_handshake']] },
  ],
  // id-only: the focus Encounter is read from the FHIR server (derived from f203 for
  // Patient/example), then read as any Encounter.
  [
    'fhir-subscriptions/r4/Bundle-notification-id.json',
    {
      status: 202,
      accepted: ['patient.discharged'],
      events: [
        {
          type: 'patient.discharged',
          subject: ['Encounter', '36e1c9d9-6878-4ef0-b1ff-9f5986e2def6'],
          data: { 'discharge.at': { instant: '2013-03-20T04:00:00Z' } },
        },
      ],
    },
  ],
  [
    'fhir-subscriptions/r4/Subscription-encounter-complete.json',
    { status: 202, accepted: [], ignored: [['Subscription', 'resource_type_unsupported']] },
  ],
  [
    'fhir-subscriptions/r4b/Bundle-notification-handshake.json',
    { status: 202, accepted: [], ignored: [['SubscriptionStatus', 'subscription_handshake']] },
  ],
  [
    'fhir-subscriptions/r5/Bundle-notification-handshake.json',
    { status: 202, accepted: [], ignored: [['SubscriptionStatus', 'subscription_handshake']] },
  ],
];

/** The fixtures the FHIR server serves, derived from fixtures (see above). */
function ehrResources() {
  const pieter = readFixture<Patient>('fhir-r4-core/patient-example-f001-pieter.json');
  const chalmers = readFixture<Patient>('fhir-r4-core/patient-example.json');
  const inpatient = readFixture<Encounter>('fhir-r4-core/encounter-example-f203-20130311.json');
  return [
    { ...pieter, id: 'pat1' },
    { ...chalmers, id: 'f201' },
    {
      ...inpatient,
      id: '36e1c9d9-6878-4ef0-b1ff-9f5986e2def6',
      subject: { reference: 'Patient/example' },
    },
  ];
}

function valueAt(data: Record<string, unknown>, dotted: string): unknown {
  const [group = '', name = ''] = dotted.split('.');
  return (data[group] as Record<string, unknown> | undefined)?.[name];
}

describe('POST /api/hooks/fhir', () => {
  let harness: Harness;
  let ehr: FhirTestServer;

  beforeAll(async () => {
    ehr = await startFhirTestServer(hasFixtures ? ehrResources() : []);
    harness = await startHarness({
      withWorker: false,
      env: { PATHWELL_FHIR_BASE_URL: ehr.baseUrl, PATHWELL_FHIR_TOKEN: ehr.token },
    });
  });

  afterAll(async () => {
    await harness?.close();
    await ehr?.close();
  });

  // Buffers go as text: superagent would serialise a Buffer object as JSON.
  const post = (body: string | Buffer, type = 'application/fhir+json') =>
    request(harness.app)
      .post('/api/hooks/fhir')
      .set('content-type', type)
      .send(Buffer.isBuffer(body) ? body.toString('utf8') : body);

  const counts = async () => {
    const result = await harness.pool.query<{ inbox: string; patients: string }>(
      'SELECT (SELECT count(*) FROM inbox_events) AS inbox, (SELECT count(*) FROM patients) AS patients',
    );
    return result.rows[0];
  };

  describe.skipIf(!hasFixtures)('on every fixture', () => {
    it('has an expectation for every JSON fixture, and every HL7 v2 one', () => {
      const covered = [
        ...FIXTURE_EXPECTATIONS.map(([file]) => file),
        ...HL7_HOOK_EXPECTATIONS.map(([file]) => file),
      ].sort();
      const present = [
        ...listFixtures('.'),
        ...listFixtures('hl7v2', '.hl7'),
        ...listFixtures('hl7v2', '.txt'),
      ].sort();
      expect(covered).toEqual(present);
    });

    for (const [file, expected] of FIXTURE_EXPECTATIONS) {
      it(`answers ${file} as expected`, async () => {
        const receivedFrom = Date.now();
        const response = await post(fs.readFileSync(path.join(FIXTURES_DIR, file)));

        expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(expected.status);
        if (expected.accepted !== undefined) {
          expect(response.body.accepted.map((event: { type: string }) => event.type)).toEqual(
            expected.accepted,
          );
        }
        if (expected.ignored !== undefined) {
          const ignored = response.body.ignored.map(
            (entry: { resourceType: string; reason: string }) => [entry.resourceType, entry.reason],
          );
          for (const pair of expected.ignored) {
            expect(ignored).toContainEqual(pair);
          }
        }
        if (expected.stored !== undefined) {
          expect(response.body.stored).toHaveLength(expected.stored);
        }
        for (const [index, wanted] of (expected.events ?? []).entries()) {
          const event = await loadEvent(
            harness.pool,
            harness.keyring,
            response.body.accepted[index].eventId,
          );
          expect(event?.type).toBe(wanted.type);
          expect([event?.subject.resourceType, event?.subject.id]).toEqual(wanted.subject);
          for (const [dotted, value] of Object.entries(wanted.data ?? {})) {
            const actual = valueAt(event?.data ?? {}, dotted);
            if (value === 'received') {
              expect(Date.parse(String(actual))).toBeGreaterThanOrEqual(receivedFrom - 1_000);
              expect(Date.parse(String(actual))).toBeLessThanOrEqual(Date.now());
            } else if (typeof value === 'object') {
              expect(Date.parse(String(actual)), dotted).toBe(Date.parse(value.instant));
            } else {
              expect(actual, dotted).toBe(value);
            }
          }
        }
      });
    }

    it('read from the FHIR server only what the fixtures referenced, with the token', () => {
      expect(ehr.reads).toEqual(
        expect.arrayContaining([
          'Patient/example',
          'Patient/f201',
          'Patient/pat1',
          'Encounter/36e1c9d9-6878-4ef0-b1ff-9f5986e2def6',
        ]),
      );
    });

    it('never echoes the bearer token in subscription-example.json back', async () => {
      const response = await post(
        fs.readFileSync(path.join(FIXTURES_DIR, 'fhir-r4-core/subscription-example.json')),
      );

      expect(JSON.stringify(response.body)).not.toContain('secret-token');
    });

    it('answers the R5 XML notification with 415 and says to send JSON', async () => {
      const response = await post(
        fs.readFileSync(
          path.join(FIXTURES_DIR, 'fhir-subscriptions/r5/notification-full-resource.xml'),
        ),
        'application/fhir+xml',
      );

      expect(response.status).toBe(415);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'unsupported_media_type', status: 415 });
      expect(response.body.detail).toContain('application/fhir+json');
    });

    it('keeps no telecom that is not an email address (SIU-S15 "89898989")', async () => {
      const bundle = readFixture<Bundle>('fhir-converted/SIU-S15-01-expected.json');
      const patientId = bundle.entry?.find((entry) => entry.resource?.resourceType === 'Patient')
        ?.resource?.id as string;
      const row = await harness.pool.query<{ id: string }>(
        'SELECT id FROM patients WHERE source_id = $1',
        [patientId],
      );

      const record = await loadPatient(harness.pool, harness.keyring, row.rows[0]?.id as string);

      expect(record?.email).toBeUndefined();
      expect(record?.firstName).toBe('ADAM');
    });

    it('takes a 5 MB Bundle', async () => {
      const synthea = fs.readFileSync(
        path.join(FIXTURES_DIR, 'fhir-synthea/Bundle-Patient-01.json'),
        'utf8',
      );
      const bundle = JSON.parse(synthea) as Bundle;
      const entries = bundle.entry ?? [];
      const padded = { ...bundle, entry: Array.from({ length: 8 }, () => entries).flat() };
      const body = JSON.stringify(padded);
      expect(body.length).toBeGreaterThan(5_000_000);

      const response = await post(body);

      expect(response.status).toBe(202);
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON with 400 body_malformed_json, quoting none of the body', async () => {
      const before = await counts();
      const response = await post('{"resourceType": "Patient", "name": [{"family": "Doe-Secret"');

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        type: 'urn:pathwell:problem:body_malformed_json',
        code: 'body_malformed_json',
        status: 400,
        title: expect.any(String),
      });
      expect(response.body.detail).not.toContain('Doe-Secret');
      expect(await counts()).toEqual(before);
    });

    it('answers JSON that is not a FHIR resource with 400 body_not_fhir_resource', async () => {
      const response = await post(JSON.stringify({ hello: 'world' }));

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('body_not_fhir_resource');
    });

    it('answers an Appointment without a patient participant with 422 and stores nothing of the body', async () => {
      const before = await counts();
      const { bundle } = reminderBundle({ start: new Date(Date.now() + 86_400_000) });
      const appointment = bundle.entry?.[1]?.resource as unknown as {
        participant: Array<{ actor?: { reference?: string } }>;
      };
      appointment.participant = appointment.participant.filter(
        (participant) => !participant.actor?.reference?.startsWith('Patient/'),
      );

      const response = await post(JSON.stringify(bundle));

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('appointment_patient_missing');
      expect(response.body.issues[0].field).toBe('Bundle.entry[1].resource.participant');
      expect(await counts()).toEqual(before);
    });

    it('answers an Appointment with an unparseable start with 422 appointment_start_invalid', async () => {
      const before = await counts();
      const { bundle } = reminderBundle({ start: new Date(Date.now() + 86_400_000) });
      (bundle.entry?.[1]?.resource as unknown as { start: string }).start = 'next Tuesday';

      const response = await post(JSON.stringify(bundle));

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('appointment_start_invalid');
      expect(await counts()).toEqual(before);
    });

    it('answers a start without a UTC offset with 422 and says why', async () => {
      const { bundle } = reminderBundle({ start: new Date(Date.now() + 86_400_000) });
      (bundle.entry?.[1]?.resource as unknown as { start: string }).start = '2030-01-01T09:00:00';

      const response = await post(JSON.stringify(bundle));

      expect(response.status).toBe(422);
      expect(response.body.detail).toContain('UTC offset');
    });

    it('answers a body over 10 MB with 413 body_too_large', async () => {
      const response = await post(
        JSON.stringify({ resourceType: 'Basic', padding: 'x'.repeat(11 * 1024 * 1024) }),
      );

      expect(response.status).toBe(413);
      expect(response.body.code).toBe('body_too_large');
    });

    it('answers a wrong content type with 415 unsupported_media_type', async () => {
      const response = await post('resourceType=Patient', 'application/x-www-form-urlencoded');

      expect(response.status).toBe(415);
      expect(response.body.code).toBe('unsupported_media_type');
    });

    it('accepts application/json and a UTF-8 byte-order mark', async () => {
      const response = await post(
        `\uFEFF${JSON.stringify({ resourceType: 'Patient', id: 'bom-patient' })}`,
        'application/json',
      );

      expect(response.status).toBe(202);
      expect(response.body.stored).toEqual([{ resourceType: 'Patient', id: 'bom-patient' }]);
    });

    it('stays up after bad input and takes the next good request', async () => {
      await post('not json at all');
      const response = await post(JSON.stringify({ resourceType: 'Observation', id: 'after-bad' }));

      expect(response.status).toBe(202);
      expect(response.body.ignored).toEqual([
        { resourceType: 'Observation', id: 'after-bad', reason: 'resource_type_unsupported' },
      ]);
    });
  });

  describe('valid input that leads nowhere', () => {
    it('acknowledges an appointment whose patient is unknown with 202 and patient_unknown', async () => {
      const { bundle } = reminderBundle({ start: new Date(Date.now() + 86_400_000) });
      const appointment = bundle.entry?.[1]?.resource;

      const response = await post(JSON.stringify(appointment));

      expect(response.status).toBe(202);
      expect(response.body.ignored).toEqual([
        { resourceType: 'Appointment', id: appointment?.id, reason: 'patient_unknown' },
      ]);
    });
  });

  it('publishes every route in the OpenAPI 3.1 document', async () => {
    const response = await request(harness.app).get('/api/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/hooks/fhir', '/api/dev/outbox', '/healthz', '/readyz']),
    );
    expect(
      response.body.paths['/api/hooks/fhir'].post.responses['202'].content['application/json']
        .schema.properties.accepted,
    ).toBeDefined();
  });
});
