import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, postAppointment, sendJourney } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

describe.skipIf(!hasFixtures)('the secure portal and the audit chain', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.publish(sendJourney('Counselling follow-up', { sensitivityFloor: 'S3' }));
  });

  afterAll(async () => {
    await h?.close();
  });

  async function portalMessage(): Promise<{ token: string; workflowId: string; email: string }> {
    const email = `portal-${Date.now()}@example.org`;
    const before = h.smtp.messages.length;
    const { workflowId } = await postAppointment(h, { email });
    await runResult(h, workflowId);
    const [notification] = (await h.smtp.waitForMessages(before + 1)).slice(before);
    const token = /\/m\/([A-Za-z0-9_-]{22})/.exec(notification?.parsed.text ?? '')?.[1] as string;
    return { token, workflowId, email };
  }

  async function requestCode(token: string): Promise<string> {
    const before = h.smtp.messages.length;
    const page = await request(h.app).post(`/m/${token}/code`).type('form').send('');
    expect(page.status).toBe(200);
    const [mail] = (await h.smtp.waitForMessages(before + 1)).slice(before);
    return /\b(\d{6})\b/.exec(mail?.parsed.text ?? '')?.[1] as string;
  }

  it('AC-DEC-4 AC-PRT-1 AC-PRT-4 escrows S3 content and shows it only after the one-time code', async () => {
    const { token, workflowId } = await portalMessage();
    const escrowed = await h.pool.query<{ content: Buffer }>(
      'SELECT content FROM portal_messages WHERE workflow_id = $1',
      [workflowId],
    );
    expect(escrowed.rows[0]?.content.toString('utf8')).not.toContain('Pieter');

    const landing = await request(h.app).get(`/m/${token}`);
    expect(landing.status).toBe(200);
    expect(landing.text).not.toContain('Pieter');
    expect(landing.headers['cache-control']).toBe('no-store');
    const code = await requestCode(token);
    const opened = await request(h.app).post(`/m/${token}/open`).type('form').send(`code=${code}`);

    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Hello Pieter');
    const events = await h.pool.query<{
      action: string;
      reason: string;
      actor_type: string;
      actor_id: string;
    }>(
      "SELECT action, reason, actor_type, actor_id FROM audit_events WHERE workflow_id = $1 AND action LIKE 'portal.%' ORDER BY seq",
      [workflowId],
    );
    expect(events.rows.map((row) => `${row.action}:${row.reason}`)).toEqual([
      'portal.code_sent:portal_code_sent',
      'portal.view:portal_message_viewed',
    ]);
    expect(events.rows[1]).toMatchObject({
      actor_type: 'patient',
      actor_id: expect.stringMatching(/^recipient:[0-9a-f]{16}$/),
    });
    expect((await auditOf(h, workflowId))[0]).toMatchObject({
      method: 'portal',
      details: { protection: { row: 4 } },
    });
    const reused = await request(h.app).post(`/m/${token}/open`).type('form').send(`code=${code}`);
    expect(reused.status).toBe(401);
  });

  it('AC-PRT-2 tolerates five wrong codes and locks the message on the sixth', async () => {
    const { token, workflowId } = await portalMessage();
    const code = await requestCode(token);
    const wrong = code === '000000' ? '111111' : '000000';

    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(
        (await request(h.app).post(`/m/${token}/open`).type('form').send(`code=${wrong}`)).status,
      ).toBe(401);
    }
    const sixth = await request(h.app).post(`/m/${token}/open`).type('form').send(`code=${wrong}`);
    const rightButLocked = await request(h.app)
      .post(`/m/${token}/open`)
      .type('form')
      .send(`code=${code}`);

    expect(sixth.status).toBe(423);
    expect(rightButLocked.status).toBe(423);
    const lockout = await h.pool.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE workflow_id = $1 AND reason = 'portal_auth_lockout'",
      [workflowId],
    );
    expect(lockout.rows[0]).toEqual({ n: 1 });
  });

  it('AC-PRT-3 answers 410 for an expired message and audits it', async () => {
    const { token, workflowId } = await portalMessage();
    await h.pool.query(
      "UPDATE portal_messages SET expires_at = now() - interval '1 minute' WHERE workflow_id = $1",
      [workflowId],
    );

    const page = await request(h.app).get(`/m/${token}`);

    expect(page.status).toBe(410);
    const rows = await h.pool.query(
      "SELECT 1 FROM audit_events WHERE workflow_id = $1 AND reason = 'portal_message_expired'",
      [workflowId],
    );
    expect(rows.rowCount).toBe(1);
  });

  function auditCli(...args: string[]) {
    return spawnSync(process.execPath, [path.resolve('bin/pathwell.js'), 'audit', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: h.config.databaseUrl,
        PATHWELL_MASTER_KEY: h.masterKey,
        PATHWELL_DATA_DIR: h.config.dataDir,
        PATHWELL_LOG_LEVEL: 'warn',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('pathwell audit verify exits 0 on an intact chain and writes an exportable checkpoint', () => {
    const out = path.join(os.tmpdir(), `checkpoint-${Date.now()}.json`);

    const checkpoint = auditCli('checkpoint', '--out', out);
    const verified = auditCli('verify', '--checkpoint', out);

    expect(checkpoint.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({
      publicKey: expect.stringContaining('PUBLIC KEY'),
    });
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    fs.rmSync(out);
  });

  it('AC-SEC-6 verifies the chain, then finds an altered row and deleted newest rows', async () => {
    const clean = await request(h.app).get('/api/audit/verify');
    expect(clean.body).toMatchObject({ ok: true, faults: [] });
    expect(clean.body.newCheckpoint).toMatchObject({
      seq: clean.body.rowCount,
      signature: expect.any(String),
    });
    const exported = await request(h.app).get('/api/audit/export').query({ format: 'csv' });
    expect(exported.text.split('\n')[0]).toMatch(/^seq,id,ts,actorId/);
    expect(exported.text.trim().split('\n')).toHaveLength(clean.body.rowCount + 1);

    // Someone with the database's superuser rights goes around the append-only trigger.
    await h.pool.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
    await h.pool.query("UPDATE audit_events SET reason = 'treatment_contact_ok' WHERE seq = 2");
    const altered = await request(h.app).get('/api/audit/verify');
    const cli = auditCli('verify');
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('row_altered');
    expect(altered.body.ok).toBe(false);
    expect(altered.body.faults).toContainEqual(
      expect.objectContaining({ kind: 'row_altered', seq: 2 }),
    );
    expect(altered.body.newCheckpoint).toBeNull();

    const newest = Number(clean.body.rowCount);
    await h.pool.query('DELETE FROM audit_events WHERE seq >= $1', [newest - 1]);
    const head = await h.pool.query<{ hash: string }>(
      'SELECT hash FROM audit_events WHERE seq = $1',
      [newest - 2],
    );
    await h.pool.query('UPDATE audit_head SET seq = $1, hash = $2', [
      newest - 2,
      head.rows[0]?.hash,
    ]);
    const truncated = await request(h.app).get('/api/audit/verify');
    expect(truncated.body.faults).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint_rows_missing', seq: newest }),
    );
    await h.pool.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');
  });

  it('filters the audit trail and explains one message', async () => {
    const { workflowId } = await portalMessage();
    const message = await h.pool.query<{ message_id: string }>(
      'SELECT message_id FROM deliveries WHERE workflow_id = $1',
      [workflowId],
    );
    const messageId = message.rows[0]?.message_id as string;

    const page = await request(h.app).get('/api/audit').query({ workflowId, decision: 'allowed' });
    const evidence = await request(h.app).get(
      `/api/messages/${encodeURIComponent(messageId)}/evidence`,
    );

    expect(page.body.events).toEqual([
      expect.objectContaining({ workflowId, decision: 'allowed', method: 'portal' }),
    ]);
    expect(evidence.body.delivery).toMatchObject({
      state: 'accepted',
      method: 'portal',
      smtp_code: 250,
    });
    expect(evidence.body.events[0].details).toMatchObject({
      consent: { reason: 'treatment_contact_ok' },
      tls: { certVerified: true },
    });
    expect(JSON.stringify(evidence.body)).not.toMatch(/@example\.org/);
  });
});
