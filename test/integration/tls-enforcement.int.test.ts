import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDevCertificates } from '../../server/embedded/dev-ca.js';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, type HarnessOptions, startHarness } from '../support/harness.js';
import { runResult, startedRuns } from '../support/runs.js';

describe.skipIf(!hasFixtures)('TLS enforcement at delivery', () => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function sendThrough(options: HarnessOptions) {
    harness = await startHarness(options);
    await harness.publish(DEMO_JOURNEY);
    const { bundle } = reminderBundle({ start: new Date(Date.now() + 2 * 3_600_000) });
    const response = await request(harness.app)
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify(bundle));
    const workflowId = (await startedRuns(harness, response.body))[0] as string;
    const result = await runResult(harness, workflowId);
    const audit = await harness.pool.query<{
      decision: string;
      reason: string;
      details: { resultType?: string };
    }>('SELECT decision, reason, details FROM audit_events WHERE workflow_id = $1 ORDER BY seq', [
      workflowId,
    ]);
    return { h: harness, result, audit: audit.rows };
  }

  it('sends nothing to a peer that offers no STARTTLS and records tls_required_not_supported', async () => {
    const { h, result, audit } = await sendThrough({ smtp: { tls: false } });

    expect(result.steps.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'blocked',
      reason: 'tls_required_not_supported',
    });
    expect(h.smtp.dataCommands()).toBe(0);
    expect(h.smtp.messages).toHaveLength(0);
    expect(audit).toEqual([
      expect.objectContaining({
        decision: 'blocked',
        reason: 'tls_required_not_supported',
        details: expect.objectContaining({ resultType: 'starttls-not-supported' }),
      }),
    ]);
  });

  it('sends nothing to a peer whose certificate no trusted CA signed and records cert_invalid', async () => {
    const otherCa = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-other-ca-'));
    await ensureDevCertificates(otherCa);

    const { h, result, audit } = await sendThrough({ smtp: { tlsDir: otherCa } });

    expect(result.steps.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'blocked',
      reason: 'cert_invalid',
    });
    expect(h.smtp.dataCommands()).toBe(0);
    expect(audit[0]).toMatchObject({
      decision: 'blocked',
      reason: 'cert_invalid',
      details: { resultType: 'certificate-not-trusted' },
    });
    fs.rmSync(otherCa, { recursive: true, force: true });
  });

  it('records the verified TLS session of a delivered message in the ledger and the audit trail', async () => {
    const { h, result, audit } = await sendThrough({});

    expect(result.steps.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'sent',
    });
    const ledger = await h.pool.query<{
      state: string;
      method: string;
      tls: { protocol: string; certVerified: boolean };
      smtp_code: number;
    }>("SELECT state, method, tls, smtp_code FROM deliveries WHERE step_id = 'reminder'");
    expect(ledger.rows[0]).toMatchObject({
      state: 'accepted',
      method: 'tls_verified',
      smtp_code: 250,
      tls: { certVerified: true },
    });
    expect(ledger.rows[0]?.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(audit).toEqual([
      expect.objectContaining({ decision: 'allowed', reason: 'treatment_contact_ok' }),
    ]);
  });
});
