import { randomUUID } from 'node:crypto';
import type { Appointment, Bundle } from 'fhir/r4.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, postBundle, postPatientFirst, sendJourney } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

type Run = Awaited<ReturnType<typeof runResult>>;
const stepOf = (result: Run) => result.steps.find((step) => step.stepId === 'message');

// The same patient's next appointment: a fresh appointment id in a copy of the bundle.
function nextAppointment(bundle: Bundle): Bundle {
  const copy = structuredClone(bundle);
  const entry = copy.entry?.[1];
  const appointment = entry?.resource as Appointment;
  appointment.id = `apt-${randomUUID().slice(0, 8)}`;
  if (entry !== undefined) {
    entry.fullUrl = `urn:uuid:${randomUUID()}`;
    entry.request = { method: 'PUT', url: `Appointment/${appointment.id}` };
  }
  return copy;
}

describe.skipIf(!hasFixtures)(
  'AC-PAT-1 verification of addresses the policy does not accept',
  () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ env: { PATHWELL_ACCEPT_EHR_ADDRESSES: 'false' } });
      await h.publish(sendJourney('Visit note, verified addresses only'));
    });

    afterAll(async () => {
      await h?.close();
    });

    it('AC-PAT-1 blocks the PHI send, sends a PHI-free verification instead, and sends once verified', async () => {
      const email = `unverified-${Date.now()}@example.org`;
      const before = h.smtp.messages.length;
      const { patientId, bundle } = await postPatientFirst(h, email);

      const first = await postBundle(h, bundle);

      expect(stepOf(await runResult(h, first))).toMatchObject({
        outcome: 'blocked',
        reason: 'address_unverified',
      });
      expect((await auditOf(h, first))[0]).toMatchObject({
        reason: 'address_unverified',
        details: { stage: 'consent', verification: 'sent' },
      });
      const [verification] = (await h.smtp.waitForMessages(before + 1)).slice(before);
      expect(verification?.envelope.to).toEqual([email]);
      expect(verification?.parsed.subject).toBe('Please confirm your email address');
      const text = verification?.parsed.text ?? '';
      expect(text).not.toMatch(/Pieter|South Wing|appointment|visit/i);
      const link = /http:\/\/localhost:\d+\/v\/([A-Za-z0-9_-]{22,})/.exec(text);
      expect(link).not.toBeNull();
      const token = link?.[1] ?? '';

      // A second blocked send within a day does not send a second verification email.
      const second = await postBundle(h, nextAppointment(bundle));
      expect(stepOf(await runResult(h, second))).toMatchObject({ reason: 'address_unverified' });
      expect((await auditOf(h, second))[0]).toMatchObject({
        details: { verification: 'pending' },
      });
      expect(h.smtp.messages.length).toBe(before + 1);

      // Opening the link changes nothing (scanners open links); the button verifies.
      const page = await request(h.app).get(`/v/${token}`);
      expect(page.status).toBe(200);
      const consentBefore = await request(h.app).get(`/api/patients/${patientId}/consent`);
      expect(consentBefore.body.contactPoint).toBeNull();
      const confirmed = await request(h.app).post(`/v/${token}`).type('form').send('');
      expect(confirmed.status).toBe(200);
      const consentAfter = await request(h.app).get(`/api/patients/${patientId}/consent`);
      expect(consentAfter.body.contactPoint).toMatchObject({
        source: 'ehr',
        verifiedAt: expect.any(String),
      });

      const third = await postBundle(h, nextAppointment(bundle));
      expect(stepOf(await runResult(h, third))).toMatchObject({ outcome: 'sent' });
      const [reminder] = (await h.smtp.waitForMessages(before + 2)).slice(before + 1);
      expect(reminder?.envelope.to).toEqual([email]);
      expect(reminder?.parsed.text).toContain('Pieter');
    });

    it('refuses an unknown verification link with verification_token_unknown', async () => {
      const answer = await request(h.app)
        .post(`/v/${'A'.repeat(22)}`)
        .type('form')
        .send('');

      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'verification_token_unknown' });
      expect((await request(h.app).get(`/v/${'A'.repeat(22)}`)).status).toBe(404);
    });
  },
);
