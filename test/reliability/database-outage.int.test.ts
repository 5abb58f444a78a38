import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { postPatientFirst } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const RUNS = 20;
const SETTLE_MS = 1_000;
const OUTAGE_MS = 20_000;

const note = journey(
  'One note through a database outage',
  [
    node('start', 'trigger.manual', {}),
    node('note', 'send.email', plainEmail('A note sent through an outage')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'note'], ['note', 'out', 'done']),
);

// The machine's PostgreSQL is shared by every suite, so it is never stopped: the worker reaches
// it through a proxy this test cuts, while the test itself (and the API) reach it directly.
describe.skipIf(!hasFixtures)('sends while PostgreSQL is unreachable for 20 s', () => {
  let harness: Harness;
  let proxy: TcpProxy;

  beforeAll(async () => {
    harness = await startHarness({ withWorker: false });
    const direct = new URL(harness.config.databaseUrl ?? '');
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  });

  afterAll(async () => {
    await harness?.close();
    await proxy?.close();
  });

  it('retries the activities: every run completes, no email is lost or doubled', async () => {
    const version = await harness.publish(note);
    const { patientId } = await postPatientFirst(harness, 'outage.test@example.org');
    const proxied = new URL(harness.config.databaseUrl ?? '');
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    harness.spawnWorkerProcess({ DATABASE_URL: proxied.toString() });
    const ids: string[] = [];
    for (let index = 0; index < RUNS; index += 1) {
      const started = await request(harness.app)
        .post(`/api/journeys/${version.journeyId}/runs`)
        .send({ patientId });
      ids.push(started.body.workflowId as string);
    }
    await expect
      .poll(() => acceptedCount(harness, ids), { timeout: 90_000, interval: 50 })
      .toBeGreaterThan(0);
    proxy.cut();
    // A write already on the wire when the proxy cut may still commit; after a moment nothing
    // more can reach the database until the proxy is restored.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const acceptedDuringOutage = await acceptedCount(harness, ids);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - SETTLE_MS));
    const acceptedAfterOutage = await acceptedCount(harness, ids);
    proxy.restore();

    const results = await Promise.all(ids.map((id) => runResult(harness, id)));
    const ledger = await harness.pool.query<{ message_id: string; resent_after_unknown: boolean }>(
      'SELECT message_id, resent_after_unknown FROM deliveries WHERE workflow_id = ANY($1)',
      [ids],
    );
    const expected = new Set(ledger.rows.map((row) => row.message_id));
    const received = harness.smtp.messages
      .map((message) => message.messageId)
      .filter((id): id is string => id !== undefined && expected.has(id));
    const distinct = new Set(received);
    const duplicates = received.length - distinct.size;
    const explained = ledger.rows.filter((row) => row.resent_after_unknown).length;
    process.stdout.write(
      `reliability postgres-unreachable-20s: runs=${RUNS} expected=${expected.size} received=${received.length} duplicates=${duplicates} lost=${expected.size - distinct.size} explained=${explained} accepted-before-cut=${acceptedDuringOutage}\n`,
    );

    expect(acceptedAfterOutage).toBe(acceptedDuringOutage);
    expect(results.every((result) => result.outcome === 'completed')).toBe(true);
    expect(expected.size).toBe(RUNS);
    expect(distinct.size).toBe(RUNS);
    // An accepted message's ledger write waits for the database instead of failing the attempt,
    // so no retry resends it.
    expect(duplicates).toBe(0);
  }, 300_000);
});

async function acceptedCount(h: Harness, ids: string[]): Promise<number> {
  const result = await h.pool.query<{ count: string }>(
    "SELECT count(*) AS count FROM deliveries WHERE workflow_id = ANY($1) AND state = 'accepted'",
    [ids],
  );
  return Number(result.rows[0]?.count ?? 0);
}
