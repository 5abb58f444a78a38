import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePosture } from '../../server/db/postures.store.js';
import { addressHash } from '../../server/db/suppressions.store.js';
import request from 'supertest';
import {
  auditOf,
  postAppointment,
  postBundle,
  postPatientFirst,
  sendJourney,
  validAuthorization,
} from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import {
  type RecipientNetworkFixture,
  startRecipientNetwork,
} from '../support/recipient-network.js';
import { runResult } from '../support/runs.js';
import type { TestSmtpServer } from '../support/smtp-test-server.js';

type Run = Awaited<ReturnType<typeof runResult>>;
const stepOf = (result: Run) => result.steps.find((step) => step.stepId === 'message');

async function postureRow(h: Harness, domain: string) {
  const result = await h.pool.query<{ transport: string; record: Record<string, unknown> }>(
    'SELECT transport, record FROM recipient_postures WHERE domain = $1',
    [domain],
  );
  return result.rows[0];
}

async function ledgerOf(h: Harness, workflowId: string) {
  const result = await h.pool.query<{
    state: string;
    method: string;
    tls: Record<string, unknown>;
  }>('SELECT state, method, tls FROM deliveries WHERE workflow_id = $1', [workflowId]);
  return result.rows[0];
}

describe.skipIf(!hasFixtures)('direct delivery to recipient MXes', () => {
  let net: RecipientNetworkFixture;
  let h: Harness;
  const mx: Record<string, TestSmtpServer> = {};

  beforeAll(async () => {
    net = await startRecipientNetwork();
    mx.trusted = await net.addMx('trusted.test', { certificate: 'trusted' });
    mx.plain = await net.addMx('plain.test', { certificate: 'none' });
    mx.mismatch = await net.addMx('mismatch.test', { certificate: 'mismatched' });
    mx.expired = await net.addMx('expired.test', { certificate: 'expired' });
    mx.untrusted = await net.addMx('untrusted.test', { certificate: 'untrusted' });
    mx.downgrade = await net.addMx('downgrade.test', { certificate: 'none' });
    mx.backup = await net.addMx('backup.test', { certificate: 'none', priority: 10 });
    let busyAnswers = 0;
    mx.busy = await net.addMx('busy.test', {
      smtp: {
        answerData: () =>
          (busyAnswers += 1) === 1
            ? { code: 421, message: '4.2.2 Mailbox full, try later' }
            : undefined,
      },
    });
    mx.backupTls = await net.addMx('backup.test', {
      mxHost: 'mx2.backup.test',
      certificate: 'trusted',
      priority: 20,
    });
    h = await startHarness({
      env: { PATHWELL_DELIVERY_MODE: 'direct', PATHWELL_DNS_SERVERS: net.dnsServers },
      network: net.network,
    });
    await h.publish(sendJourney('Visit note, direct'));
  });

  afterAll(async () => {
    await h?.close();
    await net?.close();
  });

  it('AC-DEC-12 AC-ENC-2 delivers over verified TLS to one MX and through the portal to one without STARTTLS', async () => {
    const verified = await postAppointment(h, { email: `pat-${Date.now()}@trusted.test` });
    const legacy = await postAppointment(h, { email: `pat-${Date.now()}@plain.test` });

    expect(stepOf(await runResult(h, verified.workflowId))).toMatchObject({ outcome: 'sent' });
    expect(stepOf(await runResult(h, legacy.workflowId))).toMatchObject({
      outcome: 'sent',
      reason: 'method_portal',
    });
    const [clinical] = await mx.trusted!.waitForMessages(1);
    expect(clinical?.secure).toBe(true);
    expect(clinical?.parsed.text).toContain('Pieter');
    const [notice] = await mx.plain!.waitForMessages(1);
    // The notice went in clear (the MX offers nothing else) and so carries no PHI (AC-PRT-1).
    expect(notice?.secure).toBe(false);
    expect(notice?.parsed.text ?? '').not.toMatch(/Pieter|South Wing|visit/i);
    expect(await ledgerOf(h, verified.workflowId)).toMatchObject({
      state: 'accepted',
      method: 'tls_verified',
      tls: { certVerified: true, mxHost: 'mx.trusted.test' },
    });
    expect(await postureRow(h, 'trusted.test')).toEqual({
      transport: 'pkix_tls_ok',
      record: expect.objectContaining({
        mxHost: 'mx.trusted.test',
        starttls: true,
        tlsVersion: expect.stringMatching(/^TLSv1\.[23]$/),
        certValid: true,
        certError: null,
        mtaStsMode: null,
        dane: 'not_checked',
        checkedAt: expect.any(String),
        expiresAt: expect.any(String),
      }),
    });
    expect(await postureRow(h, 'plain.test')).toMatchObject({
      transport: 'no_tls',
      record: { starttls: false, resultType: 'starttls-not-supported' },
    });
  });

  it.each([
    ['mismatch.test', 'mismatch', 'certificate-host-mismatch'],
    ['expired.test', 'expired', 'certificate-expired'],
    ['untrusted.test', 'untrusted', 'certificate-not-trusted'],
  ])(
    'sends only a portal notice to %s, whose certificate fails (%s)',
    async (domain, key, resultType) => {
      const { workflowId } = await postAppointment(h, { email: `pat-${Date.now()}@${domain}` });

      expect(stepOf(await runResult(h, workflowId))).toMatchObject({ reason: 'method_portal' });
      const messages = await mx[key]!.waitForMessages(1);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.parsed.subject).toBe('You have a new secure message');
      expect(messages[0]?.parsed.text ?? '').not.toContain('Pieter');
      expect(await postureRow(h, domain)).toMatchObject({
        transport: 'tls_unverified',
        record: { starttls: true, certValid: false, certError: resultType },
      });
      expect((await auditOf(h, workflowId))[0]).toMatchObject({
        method: 'portal',
        details: { protection: { row: 8, posture: 'tls_unverified', postureSource: 'probe' } },
      });
    },
  );

  it('uses a backup MX with verified TLS when the preferred one has none', async () => {
    const { workflowId } = await postAppointment(h, { email: `pat-${Date.now()}@backup.test` });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ outcome: 'sent' });
    expect(await ledgerOf(h, workflowId)).toMatchObject({
      method: 'tls_verified',
      tls: { mxHost: 'mx2.backup.test', certVerified: true },
    });
    expect(mx.backup!.dataCommands()).toBe(0);
    expect(mx.backupTls!.messages).toHaveLength(1);
  });

  it("AC-BNC-2 counts an MX's 4xx as a soft bounce and its later 250 as a delivery", async () => {
    const email = `pat-${Date.now()}@busy.test`;
    const { workflowId } = await postAppointment(h, { email });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ outcome: 'sent' });
    const events = await h.pool.query<{ kind: string; source: string; status: string }>(
      `SELECT kind, source, status FROM bounce_events WHERE address_hash = $1 ORDER BY occurred_at`,
      [addressHash(h.keyring, email)],
    );
    expect(events.rows).toEqual([
      { kind: 'soft', source: 'smtp', status: '421' },
      { kind: 'delivered', source: 'smtp', status: '250' },
    ]);
  });

  it('AC-ENC-1 never sends in clear when the cache says verified but the MX offers no STARTTLS', async () => {
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

    const { workflowId } = await postAppointment(h, { email: `pat-${Date.now()}@downgrade.test` });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({
      outcome: 'sent',
      reason: 'method_portal',
    });
    const rows = await auditOf(h, workflowId);
    expect(rows.map((row) => `${row.decision}:${row.reason}:${row.method}`)).toEqual([
      'blocked:tls_downgrade_detected:null',
      'allowed:treatment_contact_ok:portal',
    ]);
    expect(rows[0]?.details).toMatchObject({
      stage: 'transport',
      resultType: 'starttls-not-supported',
      observed: 'no_tls',
      mxHost: 'mx.downgrade.test',
    });
    // One message reached the MX, the PHI-free notice; the clinical text never did.
    const messages = await mx.downgrade!.waitForMessages(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.parsed.text ?? '').not.toContain('Pieter');
    expect(await postureRow(h, 'downgrade.test')).toMatchObject({ transport: 'no_tls' });
  });
});

describe.skipIf(!hasFixtures)('direct delivery of marketing, and the probe in relay mode', () => {
  let net: RecipientNetworkFixture;
  let direct: Harness;
  let relay: Harness;
  let plainMx: TestSmtpServer;
  const program = 'wellness-2026';

  beforeAll(async () => {
    net = await startRecipientNetwork();
    plainMx = await net.addMx('plain-marketing.test', { certificate: 'none' });
    await net.addMx('probed.test', { certificate: 'none' });
    direct = await startHarness({
      env: { PATHWELL_DELIVERY_MODE: 'direct', PATHWELL_DNS_SERVERS: net.dnsServers },
      network: net.network,
    });
    await direct.publish(
      sendJourney('Wellness news, direct', { purpose: 'marketing', campaign: { program } }),
    );
    relay = await startHarness({
      env: { PATHWELL_RECIPIENT_PROBE: 'true', PATHWELL_DNS_SERVERS: net.dnsServers },
      network: net.network,
    });
    await relay.publish(sendJourney('Visit note, relay with probe'));
  });

  afterAll(async () => {
    await direct?.close();
    await relay?.close();
    await net?.close();
  });

  it('AC-ENC-1 drops marketing after a downgrade: nothing reaches the MX', async () => {
    const now = new Date();
    await savePosture(direct.pool, {
      domain: 'plain-marketing.test',
      transport: 'pkix_tls_ok',
      mxHost: 'mx.plain-marketing.test',
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
    const { patientId, bundle } = await postPatientFirst(
      direct,
      `pat-${Date.now()}@plain-marketing.test`,
    );
    await request(direct.app)
      .post('/api/authorizations')
      .send(validAuthorization(patientId, program))
      .expect(201);

    const workflowId = await postBundle(direct, bundle);

    expect(stepOf(await runResult(direct, workflowId))).toMatchObject({
      outcome: 'blocked',
      reason: 'tls_downgrade_detected',
    });
    expect((await auditOf(direct, workflowId)).map((row) => row.reason)).toEqual([
      'tls_downgrade_detected',
    ]);
    expect(plainMx.dataCommands()).toBe(0);
  });

  it('relay mode with PATHWELL_RECIPIENT_PROBE sends the portal notice through the relay to a domain without STARTTLS', async () => {
    const before = relay.smtp.messages.length;
    const { workflowId } = await postAppointment(relay, { email: `pat-${Date.now()}@probed.test` });

    expect(stepOf(await runResult(relay, workflowId))).toMatchObject({ reason: 'method_portal' });
    const [notice] = (await relay.smtp.waitForMessages(before + 1)).slice(before);
    expect(notice?.secure).toBe(true);
    expect(notice?.parsed.subject).toBe('You have a new secure message');
    expect((await auditOf(relay, workflowId))[0]).toMatchObject({
      details: { protection: { posture: 'no_tls', postureSource: 'probe', row: 8 } },
    });
  });
});
