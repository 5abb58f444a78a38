import * as openpgp from 'openpgp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGP_SUBJECT } from '../../activities/send/build-pgp-mime.js';
import {
  auditOf,
  postBundle,
  postPatientFirst,
  sendJourney,
  verifyDkim,
} from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const DAY_MS = 86_400_000;
type Run = Awaited<ReturnType<typeof runResult>>;
const stepOf = (result: Run) => result.steps.find((step) => step.stepId === 'message');

describe.skipIf(!hasFixtures)('PGP for patients who registered a key', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.publish(sendJourney('Visit note, PGP'));
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A patient who asked for end-to-end encryption and registered a key for `keyEmail`. */
  async function e2ePatient(options: { keyEmail?: string; expired?: boolean } = {}) {
    const email = `pgp-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const { patientId, bundle } = await postPatientFirst(h, email);
    const pair = await openpgp.generateKey({
      userIDs: [{ name: 'Pieter', email: options.keyEmail ?? email }],
      format: 'armored',
      ...(options.expired === true
        ? { date: new Date(Date.now() - 10 * DAY_MS), keyExpirationTime: 86_400 }
        : {}),
    });
    const registered = await request(h.app)
      .post(`/api/patients/${patientId}/pgp-keys`)
      .send({ armoredKey: pair.publicKey });
    expect(registered.status).toBe(201);
    await request(h.app)
      .post(`/api/patients/${patientId}/preferences`)
      .send({ preference: 'e2e' })
      .expect(201);
    return { email, patientId, bundle, pair, registered: registered.body };
  }

  it('AC-PGP-2 sends PGP/MIME under a generic subject over verified TLS, DKIM-signed', async () => {
    const before = h.smtp.messages.length;
    const { email, bundle, pair, registered } = await e2ePatient();
    expect(registered.check).toMatchObject({ usable: true });

    const workflowId = await postBundle(h, bundle);

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({
      outcome: 'sent',
      reason: 'method_pgp',
    });
    const message = (await h.smtp.waitForMessages(before + 1))
      .slice(before)
      .find((received) => received.envelope.to[0] === email);
    expect(message?.secure).toBe(true);
    expect(message?.parsed.subject).toBe(PGP_SUBJECT);
    const raw = message?.raw.toString('utf8') ?? '';
    expect(raw).toContain('multipart/encrypted');
    expect(raw).not.toMatch(/Pieter|South Wing/);
    const dkim = await verifyDkim(h, message?.raw ?? Buffer.alloc(0));
    expect(dkim.results[0]?.status.result).toBe('pass');
    const armored = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(raw)?.[0];
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armored ?? '' }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: pair.privateKey }),
    });
    expect(String(data)).toContain('Hello Pieter');
    expect((await auditOf(h, workflowId))[0]).toMatchObject({
      decision: 'allowed',
      method: 'pgp',
      details: { protection: { row: 5, key: { usable: true } } },
    });
  });

  it.each([
    ['expired', { expired: true }, ['expired']],
    ['for another address', { keyEmail: 'someone-else@example.org' }, ['uid_mismatch']],
  ])(
    'AC-PGP-1 does not use a key that is %s and falls to the portal (key_invalid)',
    async (_label, options, problems) => {
      const before = h.smtp.messages.length;
      const { email, bundle, registered } = await e2ePatient(options);
      expect(registered.check).toMatchObject({ usable: false, problems });

      const workflowId = await postBundle(h, bundle);

      expect(stepOf(await runResult(h, workflowId))).toMatchObject({ reason: 'method_portal' });
      expect((await auditOf(h, workflowId))[0]).toMatchObject({
        method: 'portal',
        details: {
          protectionReason: 'e2e_key_unavailable_fallback_portal',
          protection: { key: { reason: 'key_invalid', problems } },
        },
      });
      const notice = (await h.smtp.waitForMessages(before + 1))
        .slice(before)
        .find((received) => received.envelope.to[0] === email);
      expect(notice?.parsed.subject).toBe('You have a new secure message');
    },
  );

  it('refuses a malformed key with pgp_key_malformed and stores nothing', async () => {
    const { patientId } = await postPatientFirst(h, `bad-key-${Date.now()}@example.org`);

    const answer = await request(h.app)
      .post(`/api/patients/${patientId}/pgp-keys`)
      .send({ armoredKey: `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${'x'.repeat(120)}\n` });

    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'pgp_key_malformed' });
    const listed = await request(h.app).get(`/api/patients/${patientId}/pgp-keys`);
    expect(listed.body).toEqual([]);
  });
});
