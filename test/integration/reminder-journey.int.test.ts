import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEmailOptOut } from '../../server/db/opt-outs.store.js';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult, startedRuns } from '../support/runs.js';

const HOUR = 3_600_000;
// The reminder goes 24 h before the start: a start this far past 24 h from now makes the run
// wait a few seconds first, enough to cover a cold worker.
const MARGIN_MS = 8_000;

describe.skipIf(!hasFixtures)('the appointment reminder journey', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
    await harness.publish(DEMO_JOURNEY);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const post = (body: unknown) =>
    request(harness.app)
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify(body));

  it('delivers a reminder over TLS with the time in the patient zone when the Patient names one', async () => {
    const before = harness.smtp.messages.length;
    const { bundle } = reminderBundle({
      start: new Date(Date.now() + 24 * HOUR + MARGIN_MS),
      patientZone: 'Europe/Amsterdam',
    });

    const response = await post(bundle);
    expect(response.status).toBe(202);
    const [workflowId] = await startedRuns(harness, response.body);
    const result = await runResult(harness, workflowId as string);

    expect(result.outcome).toBe('completed');
    const [message] = (await harness.smtp.waitForMessages(before + 1)).slice(before);
    expect(message?.secure).toBe(true);
    expect(message?.envelope.to).toEqual(['p.heuvel@gmail.com']);
    expect(message?.parsed.subject).toBe('Appointment reminder from your care team');
    const start = new Date(
      bundle.entry?.[1]?.resource && 'start' in bundle.entry[1].resource
        ? String(bundle.entry[1].resource.start)
        : '',
    );
    const amsterdam = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Amsterdam',
      hour: 'numeric',
      minute: '2-digit',
    }).format(start);
    expect(message?.parsed.text).toContain(amsterdam);
    expect(message?.parsed.text).toContain('GMT+1');
  });

  it('uses the zone of the Appointment before the Patient and the organisation', async () => {
    const before = harness.smtp.messages.length;
    const start = new Date(Date.now() + 24 * HOUR + MARGIN_MS);
    const { bundle } = reminderBundle({
      start,
      patientZone: 'Europe/Amsterdam',
      appointmentZone: 'Asia/Tokyo',
    });

    const response = await post(bundle);
    await runResult(harness, (await startedRuns(harness, response.body))[0] as string);

    const [message] = (await harness.smtp.waitForMessages(before + 1)).slice(before);
    const tokyo = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Tokyo',
      hour: 'numeric',
      minute: '2-digit',
    }).format(start);
    expect(message?.parsed.text).toContain(tokyo);
    expect(message?.parsed.text).toContain('GMT+9');
  });

  it('falls back to the organisation zone when neither names one', async () => {
    const before = harness.smtp.messages.length;
    const start = new Date(Date.now() + 24 * HOUR + MARGIN_MS);
    const { bundle } = reminderBundle({ start });

    const response = await post(bundle);
    await runResult(harness, (await startedRuns(harness, response.body))[0] as string);

    const [message] = (await harness.smtp.waitForMessages(before + 1)).slice(before);
    const newYork = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour: 'numeric',
      minute: '2-digit',
    }).format(start);
    expect(message?.parsed.text).toContain(newYork);
    expect(message?.parsed.text).toMatch(/E[SD]T/);
  });

  it('delivers nothing more when the same event is posted again before and after delivery', async () => {
    const before = harness.smtp.messages.length;
    const { bundle } = reminderBundle({ start: new Date(Date.now() + 24 * HOUR + MARGIN_MS) });

    const first = await post(bundle);
    const again = await post(bundle);
    expect(again.status).toBe(200);
    expect(again.body.accepted[0].duplicate).toBe(true);
    expect(again.body.accepted[0].eventId).toBe(first.body.accepted[0].eventId);

    await runResult(harness, (await startedRuns(harness, first.body))[0] as string);
    await harness.smtp.waitForMessages(before + 1);
    const late = await post(bundle);
    expect(late.status).toBe(200);
    expect(late.body.accepted[0].duplicate).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(harness.smtp.messages.length).toBe(before + 1);
  });

  it('takes the "no" branch and sends nothing when the patient has no email', async () => {
    const before = harness.smtp.messages.length;
    const { bundle } = reminderBundle({
      start: new Date(Date.now() + 24 * HOUR + MARGIN_MS),
      withoutEmail: true,
    });

    const response = await post(bundle);
    const result = await runResult(
      harness,
      (await startedRuns(harness, response.body))[0] as string,
    );

    expect(result).toMatchObject({
      status: 'completed',
      outcome: 'skipped',
      reason: 'no_email_address',
    });
    expect(result.steps.map((step) => `${step.stepId}:${step.outcome}`)).toEqual([
      'has-email:no',
      'no-email:skipped',
    ]);
    expect(harness.smtp.messages.length).toBe(before);
  });

  it('sends at once when 24 hours before has passed but the appointment is still ahead', async () => {
    const before = harness.smtp.messages.length;
    const { bundle } = reminderBundle({ start: new Date(Date.now() + 2 * HOUR) });

    const response = await post(bundle);
    const result = await runResult(
      harness,
      (await startedRuns(harness, response.body))[0] as string,
    );

    expect(result.outcome).toBe('completed');
    expect(result.steps.find((step) => step.stepId === 'day-before')?.outcome).toBe(
      'anchor_passed_continue',
    );
    expect(harness.smtp.messages.length).toBe(before + 1);
  });

  it('ends skipped with appointment_in_past when the appointment has passed', async () => {
    const before = harness.smtp.messages.length;
    const { bundle } = reminderBundle({ start: new Date(Date.now() - HOUR) });

    const response = await post(bundle);
    const result = await runResult(
      harness,
      (await startedRuns(harness, response.body))[0] as string,
    );

    expect(result).toMatchObject({ outcome: 'skipped', reason: 'appointment_in_past' });
    expect(harness.smtp.messages.length).toBe(before);
  });

  it('checks the opt-out at send time: an opt-out recorded while the run waits blocks the send', async () => {
    const sessions = harness.smtp.sessions();
    const { bundle, patientId } = reminderBundle({
      start: new Date(Date.now() + 24 * HOUR + MARGIN_MS),
    });

    const response = await post(bundle);
    const row = await harness.pool.query<{ id: string }>(
      'SELECT id FROM patients WHERE source_id = $1',
      [patientId],
    );
    await recordEmailOptOut(harness.pool, row.rows[0]?.id as string, 'treatment');
    const result = await runResult(
      harness,
      (await startedRuns(harness, response.body))[0] as string,
    );

    expect(result.steps.find((step) => step.stepId === 'reminder')).toMatchObject({
      outcome: 'blocked',
      reason: 'channel_opt_out',
    });
    expect(harness.smtp.sessions()).toBe(sessions);
  });
});
