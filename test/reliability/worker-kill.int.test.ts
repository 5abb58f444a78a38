import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { postPatientFirst } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const RUNS = 100;
const KILLS = 4;

const note = journey(
  'One note while workers die',
  [
    node('start', 'trigger.manual', {}),
    node('note', 'send.email', plainEmail('A note that must arrive once')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'note'], ['note', 'out', 'done']),
);

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function acceptedCount(h: Harness, ids: string[]): Promise<number> {
  const result = await h.pool.query<{ count: string }>(
    "SELECT count(*) AS count FROM deliveries WHERE workflow_id = ANY($1) AND state = 'accepted'",
    [ids],
  );
  return Number(result.rows[0]?.count ?? 0);
}

describe.skipIf(!hasFixtures)('runs while the worker is killed with SIGKILL', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ withWorker: false });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it(`completes ${RUNS} runs with no email lost, each copy explained by the ledger`, async () => {
    const version = await harness.publish(note);
    const { patientId } = await postPatientFirst(harness, 'kill.test@example.org');
    let worker = harness.spawnWorkerProcess();
    const ids: string[] = [];
    for (let batch = 0; batch < RUNS / 10; batch += 1) {
      const started = await Promise.all(
        Array.from({ length: 10 }, () =>
          request(harness.app).post(`/api/journeys/${version.journeyId}/runs`).send({ patientId }),
        ),
      );
      ids.push(...started.map((response) => response.body.workflowId as string));
    }
    // Each kill falls while the worker is sending (more messages accepted than at the last
    // kill, not all yet), a random moment later: some before DATA, some between the peer's 250
    // and the ledger write.
    let kills = 0;
    let acceptedAtKill = 0;
    while (kills < KILLS) {
      await expect
        .poll(() => acceptedCount(harness, ids), { timeout: 90_000, interval: 50 })
        .toBeGreaterThan(acceptedAtKill);
      acceptedAtKill = await acceptedCount(harness, ids);
      if (acceptedAtKill >= RUNS) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      await kill(worker);
      kills += 1;
      worker = harness.spawnWorkerProcess();
    }

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
      `reliability worker-sigkill: runs=${RUNS} kills=${kills} expected=${expected.size} received=${received.length} duplicates=${duplicates} lost=${expected.size - distinct.size} explained=${explained}\n`,
    );

    expect(kills).toBeGreaterThan(0);
    expect(results.every((result) => result.outcome === 'completed')).toBe(true);
    expect(expected.size).toBe(RUNS);
    expect(distinct.size).toBe(RUNS);
    expect(duplicates).toBeLessThanOrEqual(explained);
  }, 420_000);
});
