import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, linesInto } from '../support/harness.js';
import { STAFF_PASSWORD, signedInStaff } from '../support/staff.js';

// Values no log line may hold: a patient's name, address, phone, birth date and a clinical
// phrase, and the credentials of staff (password, session cookie, CSRF token, API token).
const PHI = {
  family: 'Quillfeather',
  given: 'Oriel',
  email: 'oriel.quillfeather@patient.example',
  phone: '+1-617-555-0142',
  birthDate: '1961-07-23',
  note: 'suspected melanoma follow-up',
  mrn: 'MRN-77310952',
};

function patientResource(id: string) {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'urn:mrn', value: PHI.mrn }],
    name: [{ family: PHI.family, given: [PHI.given] }],
    telecom: [
      { system: 'email', value: PHI.email },
      { system: 'phone', value: PHI.phone },
    ],
    birthDate: PHI.birthDate,
  };
}

describe('no PHI or credential in the logs of any route family, at debug level', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await startHarness({
      withWorker: false,
      env: { PATHWELL_SIGN_IN_RATE_LIMIT: '1000', PATHWELL_PASSKEY_ROLES: '' },
      log: {
        level: 'debug',
        destination: linesInto(lines),
      },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('logs ids and codes only for hooks, events, consent, journeys, auth and patient links', async () => {
    const staff = await signedInStaff(h, ['admin']);
    const session = { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken };
    const patientSourceId = randomUUID();

    await request(h.rawApp)
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify(patientResource(patientSourceId)));
    await request(h.rawApp)
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send(`{"resourceType":"Patient","name":"${PHI.family}"`);
    await request(h.rawApp)
      .post('/api/hooks/hl7')
      .set('content-type', 'x-application/hl7-v2+er7')
      .send(
        `MSH|^~\\&|EHR|H|P|P|20260101000000||ADT^A08|C1|P|2.5\rPID|1||${PHI.mrn}||${PHI.family}^${PHI.given}||19610723\r`,
      );
    await request(h.rawApp)
      .post('/api/events')
      .send({
        type: 'custom.note',
        subject: { resourceType: 'Patient', id: patientSourceId },
        data: { note: PHI.note, email: PHI.email },
        idempotencyKey: randomUUID(),
      });
    const patient = await h.pool.query<{ id: string }>(
      'SELECT id FROM patients WHERE source_id = $1',
      [patientSourceId],
    );
    const patientId = patient.rows[0]?.id ?? randomUUID();
    await request(h.rawApp)
      .post(`/api/patients/${patientId}/contact-points`)
      .set(session)
      .send({ address: PHI.email, source: 'staff' });
    await request(h.rawApp)
      .post(`/api/patients/${randomUUID()}/contact-points`)
      .set(session)
      .send({ address: PHI.email, source: 'patient' });
    await request(h.rawApp)
      .post('/api/suppressions')
      .set(session)
      .send({ address: PHI.email, scope: 'commercial', cause: 'opt_out' });
    await request(h.rawApp).get('/api/suppressions').query({ address: PHI.email }).set(session);
    await request(h.rawApp)
      .post('/api/templates/lint')
      .set(session)
      .send({ subject: `${PHI.given}, about your ${PHI.note}` });
    await request(h.rawApp)
      .post('/api/journeys/validate')
      .set(session)
      .send({ name: PHI.note, nodes: [{ id: PHI.family }] });
    const issued = await request(h.rawApp)
      .post('/api/tokens')
      .set(session)
      .send({ name: 'ci', scopes: ['viewer'] });
    await request(h.rawApp)
      .get('/api/journeys')
      .set('authorization', `Bearer ${issued.body.token}`);
    await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: staff.email, password: `${STAFF_PASSWORD}!` });
    await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: PHI.email, password: STAFF_PASSWORD });
    await request(h.rawApp)
      .post('/api/users')
      .set(session)
      .send({ email: PHI.email, roles: ['viewer'] });
    await request(h.rawApp).get(`/m/${'x'.repeat(30)}`);
    await request(h.rawApp)
      .post(`/u/${'y'.repeat(30)}`)
      .type('form')
      .send('List-Unsubscribe=One-Click');

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    const secrets = [
      ...Object.values(PHI),
      '19610723',
      STAFF_PASSWORD,
      staff.cookie.split('=')[1] as string,
      staff.csrfToken,
      issued.body.token as string,
    ];
    for (const value of secrets) {
      expect(log, `the logs hold "${value}"`).not.toContain(value);
    }
  });
});
