import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMailDns } from '../../activities/posture/mail-dns.js';
import { type ProbeSettings, probeDomain } from '../../activities/posture/probing-posture.js';
import { auditOf, postAppointment, sendJourney } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import {
  type RecipientNetworkFixture,
  startRecipientNetwork,
} from '../support/recipient-network.js';
import { runResult } from '../support/runs.js';
import type { TestSmtpServer } from '../support/smtp-test-server.js';

const policy = (mode: string, mx: string[], maxAge = 86_400) =>
  [
    'version: STSv1',
    `mode: ${mode}`,
    ...mx.map((pattern) => `mx: ${pattern}`),
    `max_age: ${maxAge}`,
  ]
    .join('\r\n')
    .concat('\r\n');

type Run = Awaited<ReturnType<typeof runResult>>;
const stepOf = (result: Run) => result.steps.find((step) => step.stepId === 'message');

describe.skipIf(!hasFixtures)('MTA-STS (RFC 8461) in direct delivery', () => {
  let net: RecipientNetworkFixture;
  let h: Harness;
  let settings: ProbeSettings;
  const mx: Record<string, TestSmtpServer> = {};

  beforeAll(async () => {
    net = await startRecipientNetwork();
    mx.mismatch = await net.addMx('enforce-mismatch.test', { mxHost: 'mx1.enforce-mismatch.test' });
    await net.publishStsPolicy('enforce-mismatch.test', {
      id: 'v1',
      body: policy('enforce', ['*.mail.enforce-mismatch.test']),
    });
    mx.enforced = await net.addMx('enforce-ok.test', { mxHost: 'mx1.mail.enforce-ok.test' });
    await net.publishStsPolicy('enforce-ok.test', {
      id: 'v1',
      body: policy('enforce', ['*.mail.enforce-ok.test'], 3600),
    });
    mx.testing = await net.addMx('testing-bad.test', { certificate: 'mismatched' });
    await net.publishStsPolicy('testing-bad.test', {
      id: 'v1',
      body: policy('testing', ['mx.testing-bad.test']),
    });
    await net.addMx('stale.test', {});
    await net.addMx('webpki.test', {});
    await net.publishStsPolicy('webpki.test', {
      id: 'v1',
      body: policy('enforce', ['mx.webpki.test']),
      certificate: 'untrusted',
    });
    h = await startHarness({
      env: { PATHWELL_DELIVERY_MODE: 'direct', PATHWELL_DNS_SERVERS: net.dnsServers },
      network: net.network,
    });
    settings = {
      dns: systemMailDns({ servers: [net.dnsServers] }),
      smtpPort: net.network.smtpPort,
      httpsPort: net.network.httpsPort,
      ca: [...tls.rootCertificates, ...net.network.extraCa],
      clientName: 'pathwell.test',
      timeoutMs: 5_000,
      maxMx: 3,
    };
    await h.publish(sendJourney('Visit note, MTA-STS'));
  });

  afterAll(async () => {
    await h?.close();
    await net?.close();
  });

  it('AC-STS-1 refuses delivery to an MX that no enforced pattern matches', async () => {
    const { workflowId } = await postAppointment(h, {
      email: `pat-${Date.now()}@enforce-mismatch.test`,
    });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({
      outcome: 'blocked',
      reason: 'mta_sts_mx_mismatch',
    });
    expect((await auditOf(h, workflowId))[0]).toMatchObject({
      decision: 'blocked',
      reason: 'mta_sts_mx_mismatch',
      details: { stage: 'transport', resultType: 'validation-failure' },
    });
    expect(mx.mismatch!.dataCommands()).toBe(0);
  });

  it('delivers as sts_enforce_ok to a matching MX with a valid certificate', async () => {
    const { workflowId } = await postAppointment(h, { email: `pat-${Date.now()}@enforce-ok.test` });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ outcome: 'sent' });
    expect((await auditOf(h, workflowId))[0]).toMatchObject({
      method: 'tls_verified',
      details: { protection: { posture: 'sts_enforce_ok', row: 6 } },
    });
    expect(mx.enforced!.messages[0]?.secure).toBe(true);
    const cached = await h.pool.query<{ mode: string; expires: boolean }>(
      `SELECT policy->>'mode' AS mode,
         expires_at BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes' AS expires
       FROM mta_sts_policies WHERE domain = 'enforce-ok.test'`,
    );
    expect(cached.rows[0]).toEqual({ mode: 'enforce', expires: true });
  });

  it('AC-STS-2 treats a testing policy with an invalid certificate as no verified TLS', async () => {
    const { workflowId } = await postAppointment(h, {
      email: `pat-${Date.now()}@testing-bad.test`,
    });

    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ reason: 'method_portal' });
    expect((await auditOf(h, workflowId))[0]).toMatchObject({
      details: { protection: { posture: 'tls_unverified', row: 8 } },
    });
    const [notice] = await mx.testing!.waitForMessages(1);
    expect(notice?.parsed.text ?? '').not.toContain('Pieter');
  });

  it('AC-STS-3 ignores a policy served with an untrusted certificate (sts-webpki-invalid)', async () => {
    const record = await probeDomain(h.pool, 'webpki.test', settings);

    expect(record).toMatchObject({
      transport: 'pkix_tls_ok',
      mtaStsMode: null,
      resultType: 'sts-webpki-invalid',
    });
  });

  it('AC-STS-3 keeps a cached policy in force when a new id leads to a redirect', async () => {
    const host = await net.publishStsPolicy('stale.test', {
      id: 'first',
      body: policy('enforce', ['mx.stale.test']),
    });
    expect(await probeDomain(h.pool, 'stale.test', settings)).toMatchObject({
      transport: 'sts_enforce_ok',
      mtaStsMode: 'enforce',
    });

    host.isRedirect = true;
    net.setTxt('_mta-sts.stale.test', ['v=STSv1; id=second']);
    const requestsBefore = host.requests;
    const record = await probeDomain(h.pool, 'stale.test', settings);

    expect(host.requests).toBe(requestsBefore + 1);
    expect(record).toMatchObject({
      transport: 'sts_enforce_ok',
      mtaStsMode: 'enforce',
      resultType: 'sts-policy-fetch-error',
    });
  });

  it('does not fetch the policy again while the TXT id is unchanged', async () => {
    const host = await net.publishStsPolicy('enforce-ok.test', {
      id: 'v1',
      body: policy('none', []),
    });

    const record = await probeDomain(h.pool, 'enforce-ok.test', settings);

    expect(host.requests).toBe(0);
    expect(record.mtaStsMode).toBe('enforce');
  });
});
