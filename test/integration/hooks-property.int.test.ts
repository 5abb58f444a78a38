import net from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { type MllpListener, startMllpListener } from '../../server/mllp/mllp-listener.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { derivedSiu } from '../support/hl7-messages.js';
import { connectMllp } from '../support/mllp-sender.js';

// Fixed seeds: a failure is reproducible, and the properties below are about these inputs.
const SEED = 20_260_601;
const HL7_ALPHABET = [
  '|',
  '^',
  '~',
  '\\',
  '&',
  '\r',
  '\n',
  'M',
  'S',
  'H',
  '0',
  '9',
  '+',
  ' ',
  '\u0000',
  'é',
];

describe.skipIf(!hasFixtures)('the webhooks under random and broken input', () => {
  let harness: Harness;
  let listener: MllpListener;

  beforeAll(async () => {
    // Hundreds of requests in a few seconds from one source: the rate limit is not under test.
    harness = await startHarness({
      withWorker: false,
      env: { PATHWELL_HOOK_RATE_LIMIT: '100000' },
    });
    // A published journey, so an input that slipped through as an event would start a run.
    await harness.publish(DEMO_JOURNEY);
    listener = await startMllpListener(harness.deps, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await listener?.stop();
    await harness?.close();
  });

  const state = async () => {
    const result = await harness.pool.query<{ inbox: string; runs: string; patients: string }>(
      `SELECT (SELECT count(*) FROM inbox_events) AS inbox, (SELECT count(*) FROM runs) AS runs,
              (SELECT count(*) FROM patients) AS patients`,
    );
    return result.rows[0];
  };

  it('answers random bytes on /api/hooks/fhir with a 4xx problem, never a 5xx or a run', async () => {
    const before = await state();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2_000 }),
        fc.constantFrom('application/fhir+json', 'application/json'),
        async (bytes, type) => {
          const response = await request(harness.app)
            .post('/api/hooks/fhir')
            .set('content-type', type)
            .send(Buffer.from(bytes).toString('latin1'));

          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(response.headers['content-type']).toContain('application/problem+json');
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
    expect(await state()).toEqual(before);
  });

  it('answers every truncation of a valid Bundle with 400, storing and starting nothing', async () => {
    const body = JSON.stringify(
      reminderBundle({ start: new Date(Date.now() + 3 * 86_400_000) }).bundle,
    );
    const before = await state();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: body.length - 1 }), async (length) => {
        const response = await request(harness.app)
          .post('/api/hooks/fhir')
          .set('content-type', 'application/fhir+json')
          .send(body.slice(0, length));

        expect(response.status).toBe(400);
        expect(response.body.detail).not.toContain('Heuvel');
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect(await state()).toEqual(before);
  });

  it('answers mutated HL7 on /api/hooks/hl7 with an ACK or NAK, never a 5xx; a NAK stores nothing', async () => {
    // Bases that start no journey when read as sent: a cancellation of an appointment Pathwell
    // never saw, and a patient update.
    const cancel = derivedSiu({ trigger: 'S15', appointmentId: 'never-booked', start: new Date() });
    const update = cancel.replace('|SIU^S15^SIU_S15|', '|ADT^A08^ADT_A08|');
    const runsBefore = (await state())?.runs;
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('replace'),
        at: fc.nat(),
        with: fc.constantFrom(...HL7_ALPHABET),
      }),
      fc.record({
        kind: fc.constant('delete'),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 40 }),
      }),
      fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(cancel, update),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (base, mutations) => {
          let text = base;
          for (const step of mutations) {
            const at = step.at % (text.length + 1);
            text =
              step.kind === 'replace'
                ? text.slice(0, at) + step.with + text.slice(at + 1)
                : step.kind === 'delete'
                  ? text.slice(0, at) + text.slice(at + step.length)
                  : step.kind === 'truncate'
                    ? text.slice(0, at)
                    : text.slice(0, at) + step.text + text.slice(at);
          }
          const before = await state();

          const response = await request(harness.app)
            .post('/api/hooks/hl7')
            .set('content-type', 'text/plain')
            .send(text);

          expect(response.status, response.text).toBeLessThan(500);
          expect(response.text).toMatch(/MSA\|A[AER]\|/);
          if (response.status === 400) {
            expect(await state()).toEqual(before);
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    expect((await state())?.runs).toBe(runsBefore);
  });

  it('stays up under random bytes on the MLLP port and answers the next good message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 500 }), { maxLength: 5 }),
        async (chunks) => {
          await new Promise<void>((resolve) => {
            const socket = net.connect(listener.port, '127.0.0.1', () => {
              for (const chunk of chunks) {
                socket.write(chunk);
              }
              socket.end();
            });
            socket.on('close', () => resolve());
            socket.on('error', () => resolve());
            socket.resume();
          });
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
    const sender = await connectMllp(listener.port);

    const ack = await sender.send(
      derivedSiu({ trigger: 'S15', appointmentId: 'after-noise', start: new Date() }),
    );
    await sender.close();

    expect(ack).toContain('MSA|AA|');
    expect((await request(harness.app).get('/healthz')).status).toBe(200);
  });
});
