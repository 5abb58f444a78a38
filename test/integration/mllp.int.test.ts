import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource } from '../../server/db/sources.store.js';
import { type MllpListener, startMllpListener } from '../../server/mllp/mllp-listener.js';
import { FIXTURES_DIR, hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { derivedSiu } from '../support/hl7-messages.js';
import { connectMllp } from '../support/mllp-sender.js';

const fieldsOf = (ack: string, segment: string) =>
  ack
    .split(/\r|\n/)
    .find((line) => line.startsWith(`${segment}|`))
    ?.split('|') ?? [];

/** Whether the listener hangs up on a connection before answering anything. */
async function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answered = false;
    socket.on('data', () => {
      answered = true;
    });
    socket.on('connect', () => socket.write(Buffer.from('\u000bMSH|^~\\&|A\u001c\r')));
    socket.on('close', () => resolve(!answered));
    socket.on('error', () => resolve(true));
    setTimeout(() => socket.destroy(), 3_000);
  });
}

describe.skipIf(!hasFixtures)('the MLLP listener (development mode)', () => {
  let harness: Harness;
  let listener: MllpListener;

  beforeAll(async () => {
    harness = await startHarness({ withWorker: false });
    listener = await startMllpListener(harness.deps, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await listener?.stop();
    await harness?.close();
  });

  it('acknowledges each fixture message with AA, or AR for the one it cannot read', async () => {
    const sender = await connectMllp(listener.port);
    const answers: Record<string, string> = {};
    for (const file of ['SIU-S12-01.hl7', 'ADT-A08-01.hl7', 'ORU-R01-01.hl7']) {
      const text = fs.readFileSync(path.join(FIXTURES_DIR, 'hl7v2', file), 'utf8');
      answers[file] = fieldsOf(await sender.send(text.replace(/\n/g, '\r')), 'MSA')[1] ?? '';
    }
    await sender.close();

    expect(answers).toEqual({
      'SIU-S12-01.hl7': 'AA',
      'ADT-A08-01.hl7': 'AA',
      'ORU-R01-01.hl7': 'AA',
    });
  });

  it('answers a message it refuses with a NAK naming the field, and keeps the connection', async () => {
    const sender = await connectMllp(listener.port);
    const broken = derivedSiu({
      trigger: 'S12',
      appointmentId: 'mllp-bad',
      start: new Date(),
    }).replace(/\|SIU\^S12\^SIU_S12\|T[^|]*\|/, '|SIU^S12^SIU_S12||');

    const nak = await sender.send(broken);
    const next = await sender.send(
      derivedSiu({
        trigger: 'S12',
        appointmentId: 'mllp-good',
        start: new Date(Date.now() + 86_400_000),
      }),
    );
    await sender.close();

    expect(fieldsOf(nak, 'MSA')[1]).toBe('AE');
    expect(fieldsOf(nak, 'ERR')[2]).toBe('MSH^1^10');
    expect(fieldsOf(next, 'MSA')[1]).toBe('AA');
  });

  it('stores the event of an acknowledged message in the inbox before answering', async () => {
    const sender = await connectMllp(listener.port);
    const controlId = `MLLP-${Date.now()}`;

    const ack = await sender.send(
      derivedSiu({
        trigger: 'S12',
        appointmentId: 'mllp-stored',
        start: new Date(Date.now() + 86_400_000),
        controlId,
      }),
    );
    await sender.close();

    expect(fieldsOf(ack, 'MSA')[2]).toBe(controlId);
    const row = await harness.pool.query(
      "SELECT 1 FROM inbox_events WHERE idempotency_key LIKE $1 AND type = 'appointment.booked'",
      [`%/${controlId}`],
    );
    expect(row.rows).toHaveLength(1);
  });
});

describe.skipIf(!hasFixtures)('the MLLP listener (production mode)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      withWorker: false,
      env: { PATHWELL_MODE: 'production', PATHWELL_PUBLIC_URL: 'https://pathwell.test' },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('disconnects a peer no source lists, even from this machine', async () => {
    await addSource(harness.pool, harness.keyring, {
      name: 'far',
      kind: 'hmac',
      mllpPeers: ['10.9.9.9'],
    });
    const listener = await startMllpListener(harness.deps, { host: '127.0.0.1', port: 0 });

    const refused = await isRefused(listener.port);
    await listener.stop();

    expect(refused).toBe(true);
  });

  it('accepts a listed peer and files its messages under that source', async () => {
    await addSource(harness.pool, harness.keyring, {
      name: 'near',
      kind: 'hmac',
      mllpPeers: ['127.0.0.0/8'],
    });
    const listener = await startMllpListener(harness.deps, { host: '127.0.0.1', port: 0 });
    const sender = await connectMllp(listener.port);

    const ack = await sender.send(
      derivedSiu({
        trigger: 'S12',
        appointmentId: 'near-1',
        start: new Date(Date.now() + 86_400_000),
      }),
    );
    await sender.close();
    await listener.stop();

    expect(fieldsOf(ack, 'MSA')[1]).toBe('AA');
    const row = await harness.pool.query<{ source: string }>(
      'SELECT DISTINCT source FROM inbox_events',
    );
    expect(row.rows.map((entry) => entry.source)).toEqual(['near']);
  });
});
