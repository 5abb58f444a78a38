import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditOf,
  dkimSignedHeaders,
  rawHeader,
  postAppointment,
  postBundle,
  postPatientFirst,
  sendJourney,
  validAuthorization,
  verifyDkim,
} from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const PROGRAM = 'wellness-2026';

describe.skipIf(!hasFixtures)('marketing consent at send time', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.publish(
      sendJourney('Wellness newsletter', { purpose: 'marketing', campaign: { program: PROGRAM } }),
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  async function authorize(patientId: string, overrides: Record<string, unknown> = {}) {
    const response = await request(h.app)
      .post('/api/authorizations')
      .send({ ...validAuthorization(patientId, PROGRAM), ...overrides });
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number; missing: string[] };
  }

  function stepOf(result: Awaited<ReturnType<typeof runResult>>) {
    return result.steps.find((step) => step.stepId === 'message');
  }

  it('AC-AUD-1 AC-AUTH-1 blocks an expired authorization with one audit event and no SMTP session', async () => {
    const sessions = h.smtp.sessions();
    const email = `expired-${Date.now()}@example.org`;
    const { patientId, bundle } = await postPatientFirst(h, email);
    await authorize(patientId, { expiresOn: '2020-01-31' });

    const workflowId = await postBundle(h, bundle);
    const result = await runResult(h, workflowId);

    expect(stepOf(result)).toMatchObject({ outcome: 'blocked', reason: 'authorization_expired' });
    const audit = await auditOf(h, workflowId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      decision: 'blocked',
      reason: 'authorization_expired',
      details: {
        stage: 'consent',
        expiredAt: expect.any(String),
        authorizationId: expect.any(String),
      },
    });
    expect(h.smtp.sessions()).toBe(sessions);
  });

  it('blocks marketing without any authorization (authorization_missing)', async () => {
    const sessions = h.smtp.sessions();
    const { workflowId } = await postAppointment(h, { email: `none-${Date.now()}@example.org` });
    const result = await runResult(h, workflowId);

    expect(stepOf(result)).toMatchObject({ outcome: 'blocked', reason: 'authorization_missing' });
    expect(h.smtp.sessions()).toBe(sessions);
  });

  it('AC-AUTH-3 blocks a defective authorization and lists the missing elements', async () => {
    const { patientId, bundle } = await postPatientFirst(h, `defective-${Date.now()}@example.org`);
    const recorded = await authorize(patientId, {
      statements: { rightToRevoke: false, conditioning: true, redisclosure: true },
    });
    expect(recorded.missing).toEqual(['statements.rightToRevoke']);

    const result = await runResult(h, await postBundle(h, bundle));

    expect(stepOf(result)).toMatchObject({ reason: 'authorization_defective' });
  });

  it('AC-AUTH-4 AC-DEC-13 a revocation while the run waits blocks the later send', async () => {
    const sessions = h.smtp.sessions();
    const { patientId, bundle } = await postPatientFirst(h, `revoked-${Date.now()}@example.org`);
    const { id } = await authorize(patientId);
    const start = new Date(Date.now() + 24 * 3_600_000 + 10_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const appointment = bundle.entry?.[1]?.resource as unknown as { start: string; end: string };
    appointment.start = start;
    appointment.end = new Date(Date.parse(start) + 3_600_000).toISOString();

    const workflowId = await postBundle(h, bundle);
    const handle = h.temporal.client.workflow.getHandle(workflowId);
    await expect
      .poll(async () => (await handle.query<{ at: string }>('status')).at, { timeout: 30_000 })
      .toBe('day-before');
    const revoked = await request(h.app)
      .post(`/api/authorizations/${id}/revocation`)
      .send({ method: 'written' });
    expect(revoked.status).toBe(201);
    const result = await runResult(h, workflowId);

    expect(stepOf(result)).toMatchObject({ outcome: 'blocked', reason: 'authorization_revoked' });
    expect(h.smtp.sessions()).toBe(sessions);
  });

  it('AC-AUTH-6 refuses to delete an authorization and audits the attempt', async () => {
    const { patientId } = await postPatientFirst(h, `retained-${Date.now()}@example.org`);
    const { id } = await authorize(patientId);

    const response = await request(h.app).delete(`/api/authorizations/${id}`);

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('authorization_retained');
    const audit = await h.pool.query(
      "SELECT reason FROM audit_events WHERE action = 'authorization.delete' AND details->>'authorizationId' = $1",
      [id],
    );
    expect(audit.rows).toEqual([{ reason: 'authorization_retained' }]);
    await expect(
      h.pool.query('DELETE FROM marketing_authorizations WHERE id = $1', [id]),
    ).rejects.toThrow(/immutable/);
  });

  it('AC-OC-1 AC-DKIM-1 AC-OC-2 AC-CS-2 delivers with one-click headers under DKIM, then one POST unsubscribes', async () => {
    const email = `news-${Date.now()}@example.org`;
    const { patientId, bundle } = await postPatientFirst(h, email);
    await authorize(patientId);
    const before = h.smtp.messages.length;

    const first = await runResult(h, await postBundle(h, bundle));
    expect(stepOf(first)).toMatchObject({ outcome: 'sent' });
    const [message] = (await h.smtp.waitForMessages(before + 1)).slice(before);
    const raw = message?.raw as Buffer;
    const listUnsubscribe = rawHeader(raw, 'List-Unsubscribe') ?? '';
    expect(listUnsubscribe).toMatch(
      /^<http:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]{22}>, <mailto:unsubscribe@pathwell\.localhost\?subject=unsubscribe%20[A-Za-z0-9_-]{22}>$/,
    );
    expect(rawHeader(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(message?.parsed.text).toContain('Pathwell Demo Clinic, 1 Main Street, Springfield');
    const dkim = await verifyDkim(h, message?.raw as Buffer);
    expect(dkim.results[0]?.status.result).toBe('pass');
    const signed = dkimSignedHeaders(raw);
    expect(signed).toContain('list-unsubscribe');
    expect(signed).toContain('list-unsubscribe-post');

    const token = /\/u\/([A-Za-z0-9_-]{22})/.exec(listUnsubscribe)?.[1] as string;
    const page = await request(h.app).get(`/u/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Unsubscribe from all marketing email');
    expect((await request(h.app).get('/api/suppressions').query({ address: email })).body).toEqual(
      [],
    );

    const unsubscribed = await request(h.app)
      .post(`/u/${token}`)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');
    expect(unsubscribed.status).toBe(200);
    expect(unsubscribed.headers['set-cookie']).toBeUndefined();
    const suppressions = await request(h.app).get('/api/suppressions').query({ address: email });
    expect(suppressions.body).toEqual([
      expect.objectContaining({ scope: 'commercial', cause: 'unsubscribe' }),
    ]);

    const again = structuredClone(bundle);
    const apt = again.entry?.[1]?.resource as { id: string };
    apt.id = `${apt.id}-2`;
    again.entry![1]!.request!.url = `Appointment/${apt.id}`;
    const second = await runResult(h, await postBundle(h, again));
    expect(stepOf(second)).toMatchObject({ outcome: 'blocked', reason: 'unsubscribed' });
  });

  it('AC-OC-3 a token unsubscribes only its own address', async () => {
    const mine = `mine-${Date.now()}@example.org`;
    const other = `other-${Date.now()}@example.org`;
    const { patientId, bundle } = await postPatientFirst(h, mine);
    await authorize(patientId);
    const before = h.smtp.messages.length;
    await runResult(h, await postBundle(h, bundle));
    const [message] = (await h.smtp.waitForMessages(before + 1)).slice(before);
    const token = /\/u\/([A-Za-z0-9_-]{22})/.exec(
      rawHeader(message?.raw as Buffer, 'List-Unsubscribe') ?? '',
    )?.[1] as string;

    expect(token).not.toContain(mine.split('@')[0]);
    await request(h.app)
      .post(`/u/${token}`)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');

    expect((await request(h.app).get('/api/suppressions').query({ address: other })).body).toEqual(
      [],
    );
    expect(
      (await request(h.app).get('/api/suppressions').query({ address: mine })).body,
    ).toHaveLength(1);
    expect(
      (
        await request(h.app)
          .post('/u/AAAAAAAAAAAAAAAAAAAAAA')
          .type('form')
          .send('List-Unsubscribe=One-Click')
      ).status,
    ).toBe(404);
  });
});
