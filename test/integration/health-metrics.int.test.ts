import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { postPatientFirst } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const note = journey(
  'One note',
  [
    node('start', 'trigger.manual', {}),
    node('note', 'send.email', plainEmail('A note from your care team')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'note'], ['note', 'out', 'done']),
);

const ADDRESS = 'metrics.patient@example.org';

describe.skipIf(!hasFixtures)('health, readiness and metrics', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('counts requests, runs and sends without a patient in any label after a run', async () => {
    const version = await harness.publish(note);
    const { patientId } = await postPatientFirst(harness, ADDRESS);
    const started = await request(harness.app)
      .post(`/api/journeys/${version.journeyId}/runs`)
      .send({ patientId });
    await runResult(harness, started.body.workflowId as string);

    const response = await request(harness.app).get('/metrics');
    const text = response.text;

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(text).toContain(
      'pathwell_http_requests_total{route="/api/journeys/:id/runs",method="post",status="201"} 1',
    );
    expect(text).toMatch(
      /pathwell_http_request_duration_seconds_count\{route="\/api\/hooks\/fhir"/,
    );
    expect(text).toContain('pathwell_runs{status="completed",outcome="completed"} 1');
    expect(text).toContain('pathwell_sends{method="tls_verified",result="accepted"} 1');
    expect(text).toContain('pathwell_runs_failed_last_hour 0');
    expect(text).toMatch(/pathwell_inbox_lag_seconds \d/);
    expect(text).not.toContain(patientId);
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain(started.body.workflowId as string);
  });

  it('reports a version per node, with a blocked send by reason, and per domain, as JSON and CSV', async () => {
    const version = await harness.publish({ ...note, name: 'One note, reported' });
    const sent = (await postPatientFirst(harness, 'report.sent@example.org')).patientId;
    const optedOut = (await postPatientFirst(harness, 'report.blocked@example.org')).patientId;
    const optOut = await request(harness.app)
      .post(`/api/patients/${optedOut}/opt-outs`)
      .send({ purpose: 'treatment' });
    expect(optOut.status).toBeLessThan(300);
    for (const patientId of [sent, optedOut]) {
      const started = await request(harness.app)
        .post(`/api/journeys/${version.journeyId}/runs`)
        .send({ patientId });
      await runResult(harness, started.body.workflowId as string);
    }

    const report = await request(harness.app).get(`/api/reports/versions/${version.id}`);
    const csv = await request(harness.app)
      .get(`/api/reports/versions/${version.id}`)
      .query({ format: 'csv' });
    const domains = await request(harness.app)
      .get('/api/reports/domains')
      .query({ versionId: version.id });
    const missing = await request(harness.app).get('/api/reports/versions/v_nothing');

    expect(report.status).toBe(200);
    expect(report.body.runs).toBe(2);
    expect(report.body.nodes).toContainEqual({
      nodeId: 'note',
      kind: 'send.email',
      entered: 2,
      passed: 1,
      blocked: 1,
      blockedByReason: { channel_opt_out: 1 },
      sentByMethod: { tls_verified: 1 },
      accepted: 1,
      bounced: 0,
      unsubscribed: 0,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('node_id,kind,entered,passed,blocked,blocked_by_reason');
    expect(csv.text).toContain('note,send.email,2,1,1,channel_opt_out=1,tls_verified=1,1,0,0');
    expect(domains.body.domains).toContainEqual(
      expect.objectContaining({ domain: 'example.org', tls: 1, bounced: 0, bounceRate: 0 }),
    );
    expect(missing.status).toBe(404);
  });

  it('is live and ready while the database, Temporal and the relay answer, and not without the relay', async () => {
    const live = await request(harness.app).get('/healthz');
    const ready = await request(harness.app).get('/readyz');
    await harness.smtp.close();
    const unready = await request(harness.app).get('/readyz');

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok', smtp: 'ok' },
    });
    expect(unready.status).toBe(503);
    expect(unready.body.checks).toMatchObject({ database: 'ok', temporal: 'ok', smtp: 'failing' });
  });
});
