import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MllpListener, startMllpListener } from '../../server/mllp/mllp-listener.js';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { derivedSiu } from '../support/hl7-messages.js';
import { connectMllp } from '../support/mllp-sender.js';
import { runResult } from '../support/runs.js';

const DAY = 86_400_000;

/** The run the demo journey started for an appointment, found by its subject. */
async function runFor(harness: Harness, appointmentSubjectId: string): Promise<string> {
  const row = await harness.pool.query<{ workflow_id: string }>(
    `SELECT r.workflow_id FROM runs r JOIN inbox_events e ON e.id = r.event_id
     WHERE e.subject_id = $1`,
    [appointmentSubjectId],
  );
  return row.rows[0]?.workflow_id ?? '';
}

async function subjectOf(harness: Harness, controlId: string): Promise<string> {
  const row = await harness.pool.query<{ subject_id: string }>(
    'SELECT subject_id FROM inbox_events WHERE idempotency_key LIKE $1',
    [`%/${controlId}`],
  );
  return row.rows[0]?.subject_id ?? '';
}

// The demo journey against the real Temporal server: HL7 scheduling messages reach the run
// that is already waiting, over MLLP (sent by node-hl7-client) and over HTTP.
describe.skipIf(!hasFixtures)('reschedule and cancel reaching running journeys', () => {
  let harness: Harness;
  let listener: MllpListener;

  beforeAll(async () => {
    harness = await startHarness();
    const version = await harness.publish(DEMO_JOURNEY);
    expect(version.planHash).toBeTruthy();
    listener = await startMllpListener(harness.deps, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await listener?.stop();
    await harness?.close();
  });

  it('sends nothing when SIU^S15 follows SIU^S12, the run ending cancelled before its send', async () => {
    const before = harness.smtp.messages.length;
    const appointmentId = `cancel-${randomUUID().slice(0, 8)}`;
    const email = `${appointmentId}@example.org`;
    const mrn = `MRN-${appointmentId}`;
    // The reminder would go 24 hours before the start: 8 seconds from now.
    const start = new Date(Date.now() + DAY + 8_000);
    const sender = await connectMllp(listener.port);

    const booked = `B-${appointmentId}`;
    await sender.send(
      derivedSiu({ trigger: 'S12', appointmentId, start, email, mrn, controlId: booked }),
    );
    await sender.send(derivedSiu({ trigger: 'S15', appointmentId, start, email, mrn }));
    await sender.close();
    const workflowId = await runFor(harness, await subjectOf(harness, booked));
    const result = await runResult(harness, workflowId);
    // Past the moment the reminder would have gone.
    await new Promise((resolve) => setTimeout(resolve, 10_000));

    expect(result).toMatchObject({ status: 'cancelled', reason: 'appointment_cancelled' });
    expect(result.steps.some((step) => step.kind === 'send.email')).toBe(false);
    expect(
      harness.smtp.messages.slice(before).filter((message) => message.envelope.to.includes(email)),
    ).toEqual([]);
  });

  it('sends the reminder at the new time only when the start moves later (SIU^S13)', async () => {
    const appointmentId = `move-${randomUUID().slice(0, 8)}`;
    const email = `${appointmentId}@example.org`;
    const mrn = `MRN-${appointmentId}`;
    const firstStart = new Date(Date.now() + DAY + 6_000);
    const newStart = new Date(Date.now() + DAY + 25_000);
    const post = (text: string) =>
      request(harness.app)
        .post('/api/hooks/hl7')
        .set('content-type', 'application/hl7-v2')
        .send(text);

    const booked = `B-${appointmentId}`;
    const first = await post(
      derivedSiu({
        trigger: 'S12',
        appointmentId,
        start: firstStart,
        email,
        mrn,
        controlId: booked,
      }),
    );
    const moved = await post(
      derivedSiu({ trigger: 'S13', appointmentId, start: newStart, email, mrn }),
    );
    expect(first.text).toContain('MSA|AA|');
    expect(moved.text).toContain('MSA|AA|');
    const subject = await subjectOf(harness, booked);
    const workflowId = await runFor(harness, subject);
    // Each answer came once its event was in the inbox; the runs start and are signalled just
    // after, in arrival order.
    const dispatched = async () => {
      const events = await harness.pool.query<{
        type: string;
        dispatch: { runs: Array<{ action: string }> } | null;
      }>('SELECT type, dispatch FROM inbox_events WHERE subject_id = $1 ORDER BY received_at', [
        subject,
      ]);
      return events.rows.map((row) => [row.type, row.dispatch?.runs[0]?.action]);
    };
    await expect.poll(dispatched, { timeout: 20_000 }).toEqual([
      ['appointment.booked', 'started'],
      ['appointment.rescheduled', 'signalled'],
    ]);
    const result = await runResult(harness, workflowId);

    const mine = harness.smtp.messages.filter((message) => message.envelope.to.includes(email));
    expect(result.outcome).toBe('completed');
    expect(mine).toHaveLength(1);
    const newTime = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour: 'numeric',
      minute: '2-digit',
    }).format(newStart);
    expect(mine[0]?.parsed.text).toContain(newTime);
    // The start moved by 19 seconds, so the minute shown may not tell the two apart: the time the
    // wait was reached does (24 h before the new start, not the old).
    const reached = result.steps.find((step) => step.stepId === 'day-before');
    expect(reached?.outcome).toBe('reached');
    expect(Date.parse(reached?.at ?? '')).toBeGreaterThanOrEqual(newStart.getTime() - DAY - 1_000);
  });
});
