import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditOf,
  postAppointment,
  postBundle,
  postPatientFirst,
  sendJourney,
} from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

type Answer = { code: number; message: string } | undefined;

describe.skipIf(!hasFixtures)('treatment sends: protection, bounces and patient rights', () => {
  let h: Harness;
  const answers: Answer[] = [];

  beforeAll(async () => {
    h = await startHarness({
      smtp: { answerData: () => answers.shift() },
      // Stands in for the recipient-domain probe: one domain without STARTTLS.
      posture: async (domain) =>
        domain === 'legacy.example'
          ? { transport: 'no_tls', source: 'configured', resultType: 'starttls-not-supported' }
          : { transport: 'pkix_tls_ok', source: 'configured' },
    });
    await h.publish(sendJourney('Visit note'));
  });

  afterAll(async () => {
    await h?.close();
  });

  const stepOf = (result: Awaited<ReturnType<typeof runResult>>) =>
    result.steps.find((step) => step.stepId === 'message');

  it('AC-DEC-12 sends one step to two recipients with the method each domain allows', async () => {
    const before = h.smtp.messages.length;
    const verified = await postAppointment(h, { email: `pat-${Date.now()}@gmail.com` });
    const legacy = await postAppointment(h, { email: `pat-${Date.now()}@legacy.example` });

    expect(stepOf(await runResult(h, verified.workflowId))).toMatchObject({ outcome: 'sent' });
    expect(stepOf(await runResult(h, legacy.workflowId))).toMatchObject({
      outcome: 'sent',
      reason: 'method_portal',
    });
    const methods = await h.pool.query<{ workflow_id: string; method: string }>(
      'SELECT workflow_id, method FROM deliveries WHERE workflow_id = ANY($1)',
      [[verified.workflowId, legacy.workflowId]],
    );
    expect(Object.fromEntries(methods.rows.map((row) => [row.workflow_id, row.method]))).toEqual({
      [verified.workflowId]: 'tls_verified',
      [legacy.workflowId]: 'portal',
    });
    // The two runs send concurrently: find the notice by its recipient, not by arrival order.
    const notification = (await h.smtp.waitForMessages(before + 2))
      .slice(before)
      .find((message) => message.envelope.to[0]?.endsWith('@legacy.example'));
    expect((await auditOf(h, legacy.workflowId))[0]).toMatchObject({
      decision: 'allowed',
      method: 'portal',
      details: { protectionReason: 'tls_unavailable_fallback_portal', protection: { row: 8 } },
    });
    // AC-PRT-1: the notification carries no PHI: no name, no place, no appointment date.
    const text = notification?.parsed.text ?? '';
    expect(text).not.toMatch(/Pieter|South Wing|appointment/i);
    expect(notification?.parsed.subject).toBe('You have a new secure message');
    expect(text).toMatch(/http:\/\/localhost:\d+\/m\/[A-Za-z0-9_-]{22}\b/);
  });

  it('AC-BNC-1 a 550 5.1.1 suppresses the address for every purpose', async () => {
    const email = `gone-${Date.now()}@example.org`;
    answers.push({ code: 550, message: '5.1.1 No such user here' });
    const first = await postAppointment(h, { email });

    expect(stepOf(await runResult(h, first.workflowId))).toMatchObject({
      outcome: 'rejected',
      reason: 'smtp_rejected',
    });
    const suppressions = await request(h.app).get('/api/suppressions').query({ address: email });
    expect(suppressions.body).toEqual([
      expect.objectContaining({ scope: 'global', cause: 'hard_bounce', source: 'smtp' }),
    ]);
    const second = await postAppointment(h, { email });
    expect(stepOf(await runResult(h, second.workflowId))).toMatchObject({
      outcome: 'blocked',
      reason: 'suppressed_hard_bounce',
    });
  });

  it('AC-BNC-3 a 5.7.x refusal re-routes through the portal and suppresses nothing', async () => {
    const email = `policy-${Date.now()}@example.org`;
    const before = h.smtp.messages.length;
    answers.push({ code: 550, message: '5.7.1 TLS required for this recipient' });
    const { workflowId } = await postAppointment(h, { email });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({
      outcome: 'sent',
      reason: 'method_portal',
    });
    expect((await request(h.app).get('/api/suppressions').query({ address: email })).body).toEqual(
      [],
    );
    const rows = await auditOf(h, workflowId);
    expect(rows.map((row) => `${row.decision}:${row.reason}:${row.method}`)).toEqual([
      'allowed:smtp_policy_rejected:tls_verified',
      'allowed:treatment_contact_ok:portal',
    ]);
    expect(h.smtp.messages.length).toBe(before + 2);
  });

  it('a peer answering 421 then 250 gets the message once, after a retry', async () => {
    const before = h.smtp.messages.length;
    answers.push({ code: 421, message: '4.3.2 Try again later' });
    const { workflowId } = await postAppointment(h, { email: `busy-${Date.now()}@example.org` });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ outcome: 'sent' });
    const ledger = await h.pool.query(
      'SELECT state, attempts FROM deliveries WHERE workflow_id = $1',
      [workflowId],
    );
    expect(ledger.rows[0]).toEqual({ state: 'accepted', attempts: 2 });
    expect((await auditOf(h, workflowId)).filter((row) => row.decision === 'allowed')).toHaveLength(
      1,
    );
    expect(h.smtp.messages.length).toBe(before + 2);
  });

  it('AC-PAT-2 sends to the confidential-communication address instead of the EHR one', async () => {
    const before = h.smtp.messages.length;
    const { patientId, bundle } = await postPatientFirst(h, `home-${Date.now()}@example.org`);
    const privateAddress = `private-${Date.now()}@example.net`;
    const recorded = await request(h.app)
      .post(`/api/patients/${patientId}/confidential-requests`)
      .send({ channel: 'email', address: privateAddress });
    expect(recorded.status).toBe(201);

    const workflowId = await postBundle(h, bundle);
    await runResult(h, workflowId);

    const [message] = (await h.smtp.waitForMessages(before + 1)).slice(before);
    expect(message?.envelope.to).toEqual([privateAddress]);
    expect((await auditOf(h, workflowId))[0]?.reason).toBe('confidential_comm_address_override');
  });

  it('AC-PAT-2 blocks email when the confidential request names another channel', async () => {
    const { patientId, bundle } = await postPatientFirst(h, `postal-${Date.now()}@example.org`);
    await request(h.app)
      .post(`/api/patients/${patientId}/confidential-requests`)
      .send({ channel: 'postal' });

    const result = await runResult(h, await postBundle(h, bundle));

    expect(stepOf(result)).toMatchObject({ reason: 'confidential_comm_channel_excluded' });
  });

  it('AC-PAT-1 blocks an address the patient typed until it is verified', async () => {
    const { patientId, bundle } = await postPatientFirst(h, `ehr-${Date.now()}@example.org`);
    await request(h.app)
      .post(`/api/patients/${patientId}/contact-points`)
      .send({ address: `typed-${Date.now()}@example.org`, source: 'patient' });

    const result = await runResult(h, await postBundle(h, bundle));

    expect(stepOf(result)).toMatchObject({ outcome: 'blocked', reason: 'address_unverified' });
  });

  it('AC-PAT-4 blocks a send about a subject with an agreed restriction', async () => {
    const { patientId, bundle } = await postPatientFirst(h, `restricted-${Date.now()}@example.org`);
    const appointmentId = (bundle.entry?.[1]?.resource as { id: string }).id;
    await request(h.app)
      .post(`/api/patients/${patientId}/restrictions`)
      .send({ subjectType: 'Appointment', subjectId: appointmentId });

    const result = await runResult(h, await postBundle(h, bundle));

    expect(stepOf(result)).toMatchObject({ outcome: 'blocked', reason: 'restriction_agreed' });
  });

  it('AC-SUP-1 a commercial unsubscribe does not block a treatment message', async () => {
    const email = `unsub-${Date.now()}@example.org`;
    await request(h.app)
      .post('/api/suppressions')
      .send({ address: email, scope: 'commercial', cause: 'unsubscribe' });

    const { workflowId } = await postAppointment(h, { email });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ outcome: 'sent' });
  });

  it('AC-SUP-2 re-importing a contact list never clears a suppression', async () => {
    const email = `listed-${Date.now()}@example.org`;
    const { patientId } = await postPatientFirst(h, `listed-ehr-${Date.now()}@example.org`);
    await request(h.app)
      .post('/api/suppressions')
      .send({ address: email, scope: 'commercial', cause: 'unsubscribe' });

    const csv = `patient_id,email,verified_at,unsubscribed\n${patientId},${email},2026-01-01T00:00:00Z,no\n`;
    const imported = await request(h.app)
      .post('/api/imports/contacts')
      .set('content-type', 'text/csv')
      .send(csv);

    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({
      rows: 1,
      contactPoints: 1,
      suppressionsAdded: 0,
      suppressionsKept: 1,
    });
    const suppressions = await request(h.app).get('/api/suppressions').query({ address: email });
    expect(suppressions.body).toEqual([
      expect.objectContaining({ scope: 'commercial', cause: 'unsubscribe' }),
    ]);
    const bad = await request(h.app)
      .post('/api/imports/contacts')
      .set('content-type', 'text/csv')
      .send(`patient_id,email\nnot-a-uuid,${email}\n`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('csv_invalid');
    expect(JSON.stringify(bad.body)).not.toContain(email);
  });
});
