import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePosture } from '../../server/db/postures.store.js';
import {
  auditOf,
  postAppointment,
  postPatientFirst,
  sendJourney,
  validAuthorization,
} from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { captureRuntimeLogs, type Harness, startHarness, linesInto } from '../support/harness.js';
import {
  type RecipientNetworkFixture,
  startRecipientNetwork,
} from '../support/recipient-network.js';
import { runResult, startedRuns } from '../support/runs.js';

type Run = Awaited<ReturnType<typeof runResult>>;
const stepOf = (result: Run) => result.steps.find((step) => step.stepId === 'message');

describe.skipIf(!hasFixtures)(
  'AC-PHI-4 no subject, body or address in logs during full sends',
  () => {
    let net: RecipientNetworkFixture;
    let h: Harness;
    const lines: string[] = [];
    let stopRuntimeCapture: () => void = () => undefined;

    beforeAll(async () => {
      net = await startRecipientNetwork();
      await net.addMx('ok.test', {});
      await net.addMx('reject.test', {
        smtp: { answerData: () => ({ code: 550, message: '5.1.1 <x> No such user here' }) },
      });
      await net.addMx('downgrade.test', { certificate: 'none' });
      await net.addMx('mismatch.test', { certificate: 'mismatched' });
      stopRuntimeCapture = captureRuntimeLogs(lines);
      h = await startHarness({
        env: { PATHWELL_DELIVERY_MODE: 'direct', PATHWELL_DNS_SERVERS: net.dnsServers },
        network: net.network,
        log: {
          level: 'trace',
          destination: linesInto(lines),
        },
      });
      await h.publish(sendJourney('Visit note, logged'));
    });

    afterAll(async () => {
      stopRuntimeCapture();
      await h?.close();
      await net?.close();
    });

    it('AC-PHI-4 logs ids and codes only for a success, a 5xx reject and TLS failures', async () => {
      const now = new Date();
      await savePosture(h.pool, {
        domain: 'downgrade.test',
        transport: 'pkix_tls_ok',
        mxHost: 'mx.downgrade.test',
        starttls: true,
        tlsVersion: 'TLSv1.3',
        certValid: true,
        certError: null,
        mtaStsMode: null,
        dane: 'not_checked',
        resultType: null,
        refusal: null,
        checkedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
      });
      const stamp = Date.now();
      const addresses = ['ok', 'reject', 'downgrade', 'mismatch'].map(
        (domain) => `patient.${stamp}.${domain}@${domain}.test`,
      );

      const runs = [];
      for (const email of addresses) {
        runs.push(await runResult(h, (await postAppointment(h, { email })).workflowId));
      }

      expect(runs.map((run) => stepOf(run)?.outcome)).toEqual(['sent', 'rejected', 'sent', 'sent']);
      const logged = lines.join('\n');
      expect(logged).toContain('TLS downgrade detected');
      expect(logged).toContain('Recipient domain probed');
      for (const address of addresses) {
        expect(logged).not.toContain(address);
        expect(logged).not.toContain(address.split('@')[0]);
      }
      for (const phi of ['Pieter', 'South Wing', 'A message from your care team', 'your visit']) {
        expect(logged).not.toContain(phi);
      }
    });
  },
);

describe.skipIf(!hasFixtures)('AC-PHI-1 sensitive terms in headers', () => {
  let h: Harness;
  const lexiconDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-lexicon-'));

  beforeAll(async () => {
    const lexicon = path.join(lexiconDir, 'lexicon.txt');
    fs.writeFileSync(lexicon, '# this clinic\nbariatric\n');
    h = await startHarness({ env: { PATHWELL_SENSITIVE_LEXICON_FILE: lexicon } });
    const journey = sendJourney('Oncology follow-up');
    const send = journey.nodes.find((node) => node.type === 'send.email') as {
      data: { template: { subject: string } };
    };
    send.data.template.subject = 'Your oncology follow-up';
    await h.publish(journey);
  });

  afterAll(async () => {
    await h?.close();
    fs.rmSync(lexiconDir, { recursive: true, force: true });
  });

  it('AC-PHI-1 blocks a send whose subject names a specialty, before any SMTP session', async () => {
    const sessions = h.smtp.sessions();
    const { workflowId } = await postAppointment(h, { email: `lex-${Date.now()}@example.org` });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({
      outcome: 'blocked',
      reason: 'phi_in_subject_detected',
    });
    expect((await auditOf(h, workflowId))[0]).toMatchObject({
      reason: 'phi_in_subject_detected',
      details: { stage: 'render', parts: ['subject'], kinds: ['lexicon'] },
    });
    expect(h.smtp.sessions()).toBe(sessions);
  });

  it('AC-PHI-1 the lint API names default and configured terms in subject, preheader and sender name', async () => {
    const answer = await request(h.app).post('/api/templates/lint').send({
      subject: 'Before your bariatric visit',
      preheader: 'Bring your insulin',
      fromName: 'Care team',
    });

    expect(answer.status).toBe(200);
    expect(answer.body.issues).toEqual([
      expect.objectContaining({ code: 'phi_in_subject_detected', field: 'subject' }),
      expect.objectContaining({ code: 'phi_in_subject_detected', field: 'preheader' }),
    ]);
    const clean = await request(h.app)
      .post('/api/templates/lint')
      .send({ subject: 'A message from your care team' });
    expect(clean.body).toEqual({ issues: [] });
  });
});

describe.skipIf(!hasFixtures)('AC-PHI-5 outbound URLs carry opaque tokens only', () => {
  let h: Harness;
  const host = 'care.example.test';
  const program = 'wellness-2026';

  beforeAll(async () => {
    h = await startHarness({
      env: { PATHWELL_PUBLIC_URL: `https://${host}` },
      posture: async (domain) =>
        domain === 'legacy.example'
          ? { transport: 'no_tls', source: 'configured', resultType: 'starttls-not-supported' }
          : { transport: 'pkix_tls_ok', source: 'configured' },
    });
    await h.publish(sendJourney('Visit note, links'));
    await h.publish(
      sendJourney('Wellness news, links', { purpose: 'marketing', campaign: { program } }),
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  it('AC-PHI-5 every link in portal notices, marketing, headers and verifications matches the opaque form', async () => {
    const before = h.smtp.messages.length;
    const marketed = await postPatientFirst(h, `links-${Date.now()}@example.org`);
    await request(h.app)
      .post('/api/authorizations')
      .send(validAuthorization(marketed.patientId, program))
      .expect(201);
    const legacy = await postPatientFirst(h, `links-${Date.now()}@legacy.example`);
    const typed = await postPatientFirst(h, `links-ehr-${Date.now()}@example.org`);
    await request(h.app)
      .post(`/api/patients/${typed.patientId}/contact-points`)
      .send({ address: `links-typed-${Date.now()}@example.org`, source: 'patient' })
      .expect(201);

    for (const { bundle } of [marketed, legacy, typed]) {
      const response = await request(h.app)
        .post('/api/hooks/fhir')
        .set('content-type', 'application/fhir+json')
        .send(JSON.stringify(bundle));
      for (const workflowId of await startedRuns(h, response.body)) {
        await runResult(h, workflowId);
      }
    }

    const messages = h.smtp.messages.slice(before);
    const urls = messages.flatMap((message) => {
      const headers = [message.raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? ''];
      return [message.parsed.text ?? '', String(message.parsed.html || ''), ...headers].flatMap(
        (part) => [...part.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((match) => match[0]),
      );
    });
    const kinds = new Set(urls.map((url) => new URL(url).pathname.split('/')[1]));
    expect([...kinds].sort()).toEqual(['m', 'u', 'v']);
    const shape = new RegExp(`^https://${host.replace(/\./g, '\\.')}/[a-z]+/[A-Za-z0-9_-]{22,}$`);
    for (const url of urls) {
      expect(url).toMatch(shape);
    }
  });
});
