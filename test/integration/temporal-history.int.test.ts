import { gunzipSync, inflateSync } from 'node:zlib';
import { Connection } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initApp } from '../../server/http/app.js';
import { RUN_SEARCH_ATTRIBUTES } from '../../workflows/run-search-attributes.js';
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

// Pathwell's own, and Temporal's record of the patches (`patched()`) a run took.
const SEARCH_ATTRIBUTE_NAMES = new Set([
  ...RUN_SEARCH_ATTRIBUTES.map((key) => key.name),
  'TemporalChangeVersion',
]);

// Search attributes are plaintext by Temporal's design (the server indexes them), so they are
// exempt from the encryption check only under Pathwell's declared names and only as an id or a
// code: the PHI search below still reads them.
function searchAttributePayloads(events: unknown[]): Set<RawPayload> {
  const found = new Set<RawPayload>();
  for (const event of events as Array<Record<string, unknown>>) {
    for (const attributes of [
      event.workflowExecutionStartedEventAttributes,
      event.upsertWorkflowSearchAttributesEventAttributes,
    ] as Array<{ searchAttributes?: { indexedFields?: Record<string, RawPayload> } } | null>) {
      for (const [name, payload] of Object.entries(
        attributes?.searchAttributes?.indexedFields ?? {},
      )) {
        expect(SEARCH_ATTRIBUTE_NAMES, name).toContain(name);
        const value: unknown = JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString());
        for (const item of Array.isArray(value) ? value : [value]) {
          expect(String(item)).toMatch(/^[\w.:-]{1,100}$/);
        }
        found.add(payload);
      }
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

// The SDK core writes its own bookkeeping into two markers as plain JSON: a local activity's
// (sequence, attempt, activity type, times; its result sits beside it, encrypted) and a
// patch's (`patched()`: the patch id). Each is exempt only while it holds exactly those keys,
// so PHI added there would fail the test.
const MARKER_KEYS: Record<string, string[]> = {
  core_local_activity: MARKER_DATA_KEYS,
  core_patch: ['deprecated', 'id'],
};

function isSdkMarkerData(events: unknown[], payload: RawPayload): boolean {
  for (const event of events as Array<{
    markerRecordedEventAttributes?: {
      markerName?: string | null;
      details?: Record<string, { payloads?: RawPayload[] | null }> | null;
    } | null;
  }>) {
    const marker = event.markerRecordedEventAttributes;
    const keys = MARKER_KEYS[marker?.markerName ?? ''];
    const holds = Object.values(marker?.details ?? {}).some((entry) =>
      entry.payloads?.includes(payload),
    );
    const encoding = Buffer.from(payload.metadata?.encoding ?? new Uint8Array()).toString();
    // Beside the bookkeeping sits the encrypted result, which the main check reads.
    if (keys === undefined || !holds || encoding === 'binary/encrypted') {
      continue;
    }
    const data = JSON.parse(
      Buffer.from(payload.data ?? new Uint8Array()).toString('utf8'),
    ) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(keys);
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
    const plainByDesign = searchAttributePayloads(events);
    const payloads = payloadsIn(events).filter(
      (payload) => !isSdkMarkerData(events, payload) && !plainByDesign.has(payload),
    );

    expect(plainByDesign.size).toBeGreaterThan(0);

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
