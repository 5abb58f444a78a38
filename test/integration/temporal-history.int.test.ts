import { gunzipSync, inflateSync } from 'node:zlib';
import { Connection } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initApp } from '../../server/http/app.js';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { postAppointment } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

interface RawPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

// Every payload in a history, wherever it sits (inputs, results, failures, headers, memo).
function payloadsIn(value: unknown, found: RawPayload[] = []): RawPayload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) {
    return found;
  }
  const candidate = value as RawPayload;
  if (candidate.metadata !== undefined && candidate.data instanceof Uint8Array) {
    found.push(candidate);
    return found;
  }
  for (const member of Object.values(value)) {
    payloadsIn(member, found);
  }
  return found;
}

// Every string and byte string in a history, read as text, for the PHI search.
function textsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    found.push(value);
  } else if (value instanceof Uint8Array) {
    found.push(Buffer.from(value).toString('utf8'), Buffer.from(value).toString('latin1'));
  } else if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) {
      textsIn(member, found);
    }
  }
  return found;
}

const MARKER_DATA_KEYS = [
  'activity_id',
  'activity_type',
  'attempt',
  'backoff',
  'complete_time',
  'original_schedule_time',
  'seq',
];

// The SDK core writes its own bookkeeping for a local activity (sequence, attempt, activity
// type, times) into the marker as plain JSON; the activity's result sits beside it, encrypted.
// It is exempt only while it holds exactly those keys, so PHI added there would fail the test.
function isLocalActivityMarkerData(events: unknown[], payload: RawPayload): boolean {
  for (const event of events as Array<{
    markerRecordedEventAttributes?: {
      markerName?: string | null;
      details?: Record<string, { payloads?: RawPayload[] | null }> | null;
    } | null;
  }>) {
    const marker = event.markerRecordedEventAttributes;
    if (
      marker?.markerName !== 'core_local_activity' ||
      !marker.details?.data?.payloads?.includes(payload)
    ) {
      continue;
    }
    const data = JSON.parse(
      Buffer.from(payload.data ?? new Uint8Array()).toString('utf8'),
    ) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(MARKER_DATA_KEYS);
    return true;
  }
  return false;
}

function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(bytes).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function inflates(bytes: Uint8Array): boolean {
  for (const inflate of [gunzipSync, inflateSync]) {
    try {
      inflate(bytes);
      return true;
    } catch {
      // Not this compression.
    }
  }
  return false;
}

describe.skipIf(!hasFixtures)('Temporal history holds no PHI', () => {
  let h: Harness;
  let workflowId: string;
  let email: string;
  let answers: Array<{ code: number; message: string } | undefined>;

  beforeAll(async () => {
    answers = [{ code: 421, message: '4.3.2 Try again later' }];
    h = await startHarness({ smtp: { answerData: () => answers.shift() } });
    await h.publish(DEMO_JOURNEY);
    email = `history-${Date.now()}@example.org`;
    ({ workflowId } = await postAppointment(h, { email }));
    await runResult(h, workflowId);
  });

  afterAll(async () => {
    await h?.close();
  });

  async function rawHistory() {
    // A plain connection with no data converter: what anyone with access to Temporal sees.
    const connection = await Connection.connect({ address: h.temporal.connection.options.address });
    try {
      const response = await connection.workflowService.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId },
      });
      return response.history?.events ?? [];
    } finally {
      await connection.close();
    }
  }

  it('AC-PHI-2 every payload is encrypted and no name, address or message text appears anywhere', async () => {
    const events = await rawHistory();
    const payloads = payloadsIn(events).filter(
      (payload) => !isLocalActivityMarkerData(events, payload),
    );

    expect(events.length).toBeGreaterThan(5);
    expect(payloads.length).toBeGreaterThan(5);
    for (const payload of payloads) {
      const encoding = Buffer.from(payload.metadata?.encoding ?? new Uint8Array()).toString('utf8');
      expect(encoding).toBe('binary/encrypted');
      expect(payload.metadata?.['encryption-key-id']).toBeDefined();
      expect(isJson(payload.data as Uint8Array)).toBe(false);
      expect(inflates(payload.data as Uint8Array)).toBe(false);
    }
    const haystack = [...textsIn(events), workflowId].join('\n');
    for (const phi of [
      email,
      'Pieter',
      'Heuvel',
      'This is a reminder',
      'South Wing',
      '1944-11-17',
    ]) {
      expect(haystack).not.toContain(phi);
    }
  });

  it('AC-PHI-3 the failure of the deferred attempt is encoded, not written in clear', async () => {
    const events = await rawHistory();
    const started = events.filter((event) => event.activityTaskStartedEventAttributes?.lastFailure);

    expect(started.length).toBeGreaterThan(0);
    for (const event of started) {
      const failure = event.activityTaskStartedEventAttributes?.lastFailure;
      expect(failure?.message).toBe('Encoded failure');
      expect(failure?.stackTrace ?? '').toBe('');
      expect(failure?.encodedAttributes?.metadata?.encoding).toBeDefined();
    }
  });

  it('the codec endpoint decodes a history payload for the Temporal UI, from this machine only', async () => {
    const [payload] = payloadsIn(await rawHistory());
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(payload?.metadata ?? {}).map(([key, value]) => [
              key,
              Buffer.from(value).toString('base64'),
            ]),
          ),
          data: Buffer.from(payload?.data ?? new Uint8Array()).toString('base64'),
        },
      ],
    };

    const decoded = await request(h.app)
      .post('/api/codec/decode')
      .set('origin', 'http://localhost:8233')
      .send(body);
    const foreign = await request(h.app)
      .post('/api/codec/decode')
      .set('origin', 'https://evil.example')
      .send(body);
    const production = await request(
      initApp({ ...h.deps, config: { ...h.config, mode: 'production' } }),
    )
      .post('/api/codec/decode')
      .send(body);

    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe('http://localhost:8233');
    const plain = decoded.body.payloads[0];
    expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(isJson(Buffer.from(plain.data, 'base64'))).toBe(true);
    expect(foreign.status).toBe(403);
    expect(production.status).toBe(403);
  });
});
