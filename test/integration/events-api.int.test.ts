import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyVersion } from '../../server/db/journeys.store.js';
import type { RunStatus } from '../../workflows/journey.workflow.js';
import { edges, journey, node, plainEmail } from '../fixtures/journeys.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult, startedRuns } from '../support/runs.js';

const HOUR = 3_600_000;

const confirmJourney = journey(
  'Confirm',
  [
    node('booked', 'trigger.event', { eventType: 'appointment.booked' }),
    node('confirm', 'wait.event', {
      eventType: 'appointment.confirmed',
      timeout: { amount: 2, unit: 'minutes' },
    }),
    node('thanks', 'send.email', plainEmail('Thank you for confirming')),
    node('done', 'exit', { outcome: 'confirmed' }),
    node('silent', 'exit', { outcome: 'no_reply' }),
  ],
  edges(
    ['booked', 'out', 'confirm'],
    ['confirm', 'received', 'thanks'],
    ['thanks', 'out', 'done'],
    ['confirm', 'timeout', 'silent'],
  ),
);

const dischargeJourney = journey(
  'Discharge follow-up',
  [
    node('discharged', 'trigger.event', { eventType: 'patient.discharged' }),
    node('after', 'wait.until', {
      anchor: 'discharge.at',
      offset: { amount: 0, unit: 'minutes', direction: 'after' },
      ifPassed: 'continue',
    }),
    node('follow-up', 'send.email', plainEmail('How are you feeling?')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(
    ['discharged', 'out', 'after'],
    ['after', 'out', 'follow-up'],
    ['follow-up', 'out', 'done'],
  ),
);

const manualJourney = journey(
  'Manual check-in',
  [
    node('start', 'trigger.manual', {}),
    node('hello', 'send.email', plainEmail('A note from your care team')),
    node('done', 'exit', { outcome: 'completed' }),
  ],
  edges(['start', 'out', 'hello'], ['hello', 'out', 'done']),
);

describe.skipIf(!hasFixtures)('the events API and manual runs', () => {
  let harness: Harness;
  let confirm: JourneyVersion;
  let manual: JourneyVersion;

  beforeAll(async () => {
    harness = await startHarness();
    confirm = await harness.publish(confirmJourney);
    await harness.publish(dischargeJourney);
    manual = await harness.publish(manualJourney);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const api = () => request(harness.app);
  const postEvent = (body: object) => api().post('/api/events').send(body);

  /** Books an appointment through the FHIR hook; returns its ids and the confirm run. */
  async function book() {
    const booking = reminderBundle({ start: new Date(Date.now() + 48 * HOUR) });
    const response = await api()
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify(booking.bundle));
    const workflowId = (await startedRuns(harness, response.body)).find((id) =>
      id.includes(confirm.journeyId),
    );
    const row = await harness.pool.query<{ id: string }>(
      'SELECT id FROM patients WHERE source_id = $1',
      [booking.patientId],
    );
    return { ...booking, workflowId: workflowId as string, pathwellId: row.rows[0]?.id as string };
  }

  it('delivers a posted event to the run about the same subject (wait.event received)', async () => {
    const before = harness.smtp.messages.length;
    const booked = await book();
    const handle = harness.temporal.client.workflow.getHandle(booked.workflowId);
    await expect
      .poll(async () => (await handle.query<RunStatus>('status')).at, { timeout: 30_000 })
      .toBe('confirm');

    const response = await postEvent({
      type: 'appointment.confirmed',
      subject: { resourceType: 'Appointment', id: booked.appointmentId },
      idempotencyKey: `confirm-${booked.appointmentId}`,
    });

    expect(response.status).toBe(202);
    expect(response.body.runs).toContainEqual(
      expect.objectContaining({ workflowId: booked.workflowId, action: 'signalled' }),
    );
    const result = await runResult(harness, booked.workflowId);
    expect(result.outcome).toBe('confirmed');
    expect(result.steps.map((step) => `${step.stepId}:${step.outcome}`)).toEqual([
      'confirm:received',
      'thanks:sent',
      'done:confirmed',
    ]);
    const messages = await harness.smtp.waitForMessages(before + 1);
    expect(messages.map((message) => message.parsed.subject)).toContain('Thank you for confirming');

    const again = await postEvent({
      type: 'appointment.confirmed',
      subject: { resourceType: 'Appointment', id: booked.appointmentId },
      idempotencyKey: `confirm-${booked.appointmentId}`,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...response.body, duplicate: true });

    const reused = await postEvent({
      type: 'appointment.cancelled',
      subject: { resourceType: 'Appointment', id: booked.appointmentId },
      idempotencyKey: `confirm-${booked.appointmentId}`,
    });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('starts the runs of journeys its type triggers, and the run reads its data', async () => {
    const before = harness.smtp.messages.length;
    const booked = await book();

    const response = await postEvent({
      type: 'patient.discharged',
      subject: { resourceType: 'Encounter', id: `enc-${booked.appointmentId}` },
      patient: `Patient/${booked.patientId}`,
      data: {
        discharge: {
          at: new Date(Date.now() + 3_000).toISOString(),
          isApproximate: false,
          class: 'IMP',
        },
      },
      idempotencyKey: `discharge-${booked.appointmentId}`,
    });

    expect(response.status).toBe(202);
    const [run] = response.body.runs;
    expect(run).toMatchObject({ action: 'started' });
    const result = await runResult(harness, run.workflowId);
    expect(result.steps.map((step) => `${step.stepId}:${step.outcome}`)).toEqual([
      'after:reached',
      'follow-up:sent',
      'done:completed',
    ]);
    await harness.smtp.waitForMessages(before + 1);
  });

  it('refuses data that does not fit the type, an unknown patient, and a body without a key', async () => {
    const badData = await postEvent({
      type: 'patient.discharged',
      subject: { resourceType: 'Encounter', id: 'enc-bad' },
      patient: 'Patient/nobody',
      data: { discharge: { at: '2026-06-10T09:00:00' } },
      idempotencyKey: 'bad-data',
    });
    expect(badData.status).toBe(422);
    expect(badData.body).toMatchObject({
      code: 'event_data_invalid',
      issues: [expect.objectContaining({ field: 'data.discharge.at' })],
    });

    const nobody = await postEvent({
      type: 'survey.completed',
      subject: { resourceType: 'Questionnaire', id: 'q-1' },
      idempotencyKey: 'nobody',
    });
    expect(nobody.status).toBe(422);
    expect(nobody.body.code).toBe('event_patient_unresolved');

    const noKey = await postEvent({
      type: 'survey.completed',
      subject: { resourceType: 'Patient', id: 'p' },
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.issues).toContainEqual(
      expect.objectContaining({ field: 'body.idempotencyKey' }),
    );
    const count = await harness.pool.query(
      "SELECT count(*)::int AS n FROM inbox_events WHERE idempotency_key IN ('api:bad-data', 'api:nobody')",
    );
    expect(count.rows[0].n).toBe(0);
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(external === undefined)(
    'refuses posts that do not come from this machine with 401',
    async () => {
      const server = http.createServer(harness.app);
      await new Promise<void>((resolve) => server.listen(0, external, resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const response = await fetch(`http://${external}:${port}/api/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'survey.completed',
            subject: { resourceType: 'Patient', id: 'p' },
          }),
        });

        expect(response.status).toBe(401);
        expect(((await response.json()) as { code: string }).code).toBe(
          'webhook_signature_required',
        );
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it('starts a manual run for a chosen patient, once per idempotency key', async () => {
    const before = harness.smtp.messages.length;
    const { pathwellId } = await book();
    const start = () =>
      api()
        .post(`/api/journeys/${manual.journeyId}/runs`)
        .send({ patientId: pathwellId, idempotencyKey: 'check-in-1' });

    const first = await start();
    const second = await start();

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ versionId: manual.id, duplicate: false });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, duplicate: true });
    expect((await runResult(harness, first.body.workflowId)).outcome).toBe('completed');
    const messages = await harness.smtp.waitForMessages(before + 1);
    expect(messages.slice(before).map((message) => message.parsed.subject)).toContain(
      'A note from your care team',
    );
  });

  it('refuses a manual run for an unknown patient, an event journey, or an unpublished one', async () => {
    const unknown = await api()
      .post(`/api/journeys/${manual.journeyId}/runs`)
      .send({ patientId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('patient_not_in_directory');

    const wrong = await api()
      .post(`/api/journeys/${confirm.journeyId}/runs`)
      .send({ patientId: '00000000-0000-4000-8000-000000000000' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('journey_trigger_mismatch');

    await api().post(`/api/journeys/${manual.journeyId}/unpublish`).expect(200);
    const unpublished = await api()
      .post(`/api/journeys/${manual.journeyId}/runs`)
      .send({ patientId: '00000000-0000-4000-8000-000000000000' });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.code).toBe('journey_not_published');
  });
});
