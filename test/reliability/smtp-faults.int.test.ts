import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { postPatientFirst } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const note = journey(
  'One note under SMTP faults',
  [
    node('start', 'trigger.manual', {}),
    node('note', 'send.email', plainEmail('A note through a flaky relay')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'note'], ['note', 'out', 'done']),
);

type Peer =
  | { answer: 'accept' }
  | { answer: 'defer_until'; until: number }
  | { answer: 'reject_user_unknown' };

/** Counts, as CI reads them: one line per fault. */
function report(fault: string, counts: Record<string, number>): void {
  const fields = Object.entries(counts)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  process.stdout.write(`reliability ${fault}: ${fields}\n`);
}

// The production retry policy of sends (5 s, doubling, up to 10 minutes between attempts) is
// not configurable, so a peer deferring for a minute is retried at about 5, 15, 35 and 75 s:
// this suite waits out the real backoff.
describe.skipIf(!hasFixtures)('sends under SMTP faults', () => {
  let harness: Harness;
  let peer: Peer = { answer: 'accept' };
  const accepted: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({
      smtp: {
        answerData: () => {
          if (peer.answer === 'defer_until' && Date.now() < peer.until) {
            return { code: 421, message: '4.3.2 Service shutting down, try again later' };
          }
          if (peer.answer === 'reject_user_unknown') {
            return { code: 550, message: '5.1.1 Recipient address rejected: user unknown' };
          }
          accepted.push(String(harness.smtp.messages.at(-1)?.messageId));
          return undefined;
        },
      },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function runFor(address: string, version: { journeyId: string }) {
    const { patientId } = await postPatientFirst(harness, address);
    const started = await request(harness.app)
      .post(`/api/journeys/${version.journeyId}/runs`)
      .send({ patientId });
    const workflowId = started.body.workflowId as string;
    return { workflowId, result: await runResult(harness, workflowId) };
  }

  it('sends once, after backoff, through a peer that answers 421 for a minute', async () => {
    const version = await harness.publish(note);
    const before = { attempts: harness.smtp.dataCommands(), accepted: accepted.length };
    peer = { answer: 'defer_until', until: Date.now() + 60_000 };

    const { workflowId, result } = await runFor('flaky.relay@example.org', version);
    const ledger = await harness.pool.query<{ state: string; attempts: number }>(
      'SELECT state, attempts FROM deliveries WHERE workflow_id = $1',
      [workflowId],
    );
    const received = accepted.slice(before.accepted);
    report('smtp-421-then-250', {
      runs: 1,
      expected: 1,
      received: received.length,
      duplicates: received.length - new Set(received).size,
      lost: 1 - new Set(received).size,
      attempts: harness.smtp.dataCommands() - before.attempts,
    });

    expect(result.outcome).toBe('completed');
    expect(received).toHaveLength(1);
    expect(harness.smtp.dataCommands() - before.attempts).toBeGreaterThan(1);
    expect(ledger.rows).toEqual([expect.objectContaining({ state: 'accepted' })]);
  }, 240_000);

  it('suppresses an address the peer answers 550 5.1.1 for, and never retries it', async () => {
    const version = await harness.publish({ ...note, name: 'One note to an unknown user' });
    const before = { attempts: harness.smtp.dataCommands(), accepted: accepted.length };
    peer = { answer: 'reject_user_unknown' };

    const first = await runFor('gone.user@example.org', version);
    peer = { answer: 'accept' };
    const again = await request(harness.app)
      .post(`/api/journeys/${version.journeyId}/runs`)
      .send({
        patientId: (
          await harness.pool.query<{ patient_id: string }>(
            'SELECT patient_id FROM runs WHERE workflow_id = $1',
            [first.workflowId],
          )
        ).rows[0]?.patient_id,
      });
    const second = await runResult(harness, again.body.workflowId as string);
    const attempts = harness.smtp.dataCommands() - before.attempts;
    report('smtp-550-5.1.1', {
      runs: 2,
      expected: 0,
      received: accepted.length - before.accepted,
      duplicates: 0,
      lost: 0,
      attempts,
    });

    expect(first.result.steps).toContainEqual(
      expect.objectContaining({ stepId: 'note', reason: 'smtp_rejected' }),
    );
    expect(attempts).toBe(1);
    expect(second.steps).toContainEqual(
      expect.objectContaining({
        stepId: 'note',
        outcome: 'blocked',
        reason: 'suppressed_hard_bounce',
      }),
    );
    expect(accepted.length - before.accepted).toBe(0);
  });
});
