import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource } from '../../server/db/sources.store.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { derivedSiu } from '../support/hl7-messages.js';
import { signedHeaders } from '../support/sign.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'a-test-secret-of-reasonable-length';

// Production mode: no unsigned posts at all, not even from this machine.
describe.skipIf(!hasFixtures)('webhooks with registered sources (production mode)', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({
      withWorker: false,
      env: { PATHWELL_MODE: 'production', PATHWELL_PUBLIC_URL: 'https://pathwell.test' },
    });
    await addSource(harness.pool, harness.keyring, {
      name: 'ehr-a',
      kind: 'hmac',
      credential: SECRET,
    });
    await addSource(harness.pool, harness.keyring, {
      name: 'slow',
      kind: 'hmac',
      credential: SECRET,
      rateLimitPerSecond: 1,
    });
    token = (await addSource(harness.pool, harness.keyring, { name: 'engine-b', kind: 'bearer' }))
      .credential;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const body = () =>
    JSON.stringify(reminderBundle({ start: new Date(Date.now() + 86_400_000) }).bundle);
  const post = (payload: string, headers: Record<string, string> = {}) =>
    request(harness.app)
      .post('/api/hooks/fhir')
      .set({ 'content-type': 'application/fhir+json', ...headers })
      .send(payload);
  const inboxCount = async () =>
    Number(
      (await harness.pool.query<{ n: string }>('SELECT count(*) AS n FROM inbox_events')).rows[0]
        ?.n,
    );

  it('answers an unsigned post with 401, even from this machine', async () => {
    const response = await post(body());

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('webhook_signature_required');
  });

  it('answers a wrong signature with 401 and stores nothing', async () => {
    const before = await inboxCount();
    const payload = body();

    const response = await post(payload, signedHeaders('ehr-a', 'not-the-secret', payload));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('webhook_signature_invalid');
    expect(await inboxCount()).toBe(before);
  });

  it('answers a signature over other bytes with 401 (the body was changed)', async () => {
    const payload = body();
    const headers = signedHeaders('ehr-a', SECRET, payload);

    const response = await post(payload.replace('booked', 'cancelled'), headers);

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('webhook_signature_invalid');
  });

  it('answers a stale timestamp with 401, however good the signature', async () => {
    const payload = body();
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;

    const response = await post(payload, signedHeaders('ehr-a', SECRET, payload, sixMinutesAgo));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('webhook_timestamp_stale');
  });

  it('answers an unknown source with 401', async () => {
    const payload = body();

    const response = await post(payload, signedHeaders('nobody', SECRET, payload));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('webhook_source_unknown');
  });

  it('takes a validly signed post (202) and files it under its source', async () => {
    const payload = body();

    const response = await post(payload, signedHeaders('ehr-a', SECRET, payload));

    expect(response.status).toBe(202);
    expect(response.body.accepted[0].type).toBe('appointment.booked');
    const row = await harness.pool.query<{ source: string }>(
      'SELECT source FROM inbox_events WHERE id = $1',
      [response.body.accepted[0].eventId],
    );
    expect(row.rows[0]?.source).toBe('ehr-a');
  });

  it('treats an identical signed request inside the window as a redelivery', async () => {
    const payload = body();
    const headers = signedHeaders('ehr-a', SECRET, payload);

    const first = await post(payload, headers);
    const again = await post(payload, headers);

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.accepted[0]).toMatchObject({
      duplicate: true,
      eventId: first.body.accepted[0].eventId,
    });
  });

  it('takes a bearer token from a source that cannot sign, and refuses a wrong one', async () => {
    const good = await post(body(), { authorization: `Bearer ${token}` });
    const bad = await post(body(), { authorization: 'Bearer not-a-token' });

    expect(good.status).toBe(202);
    expect(bad.status).toBe(401);
  });

  it('signs HL7 posts the same way', async () => {
    const message = derivedSiu({
      trigger: 'S12',
      appointmentId: 'signed-1',
      start: new Date(Date.now() + 86_400_000),
    });
    const unsigned = await request(harness.app)
      .post('/api/hooks/hl7')
      .set('content-type', 'text/plain')
      .send(message);
    const signed = await request(harness.app)
      .post('/api/hooks/hl7')
      .set({ 'content-type': 'text/plain', ...signedHeaders('ehr-a', SECRET, message) })
      .send(message);

    expect(unsigned.status).toBe(401);
    expect(signed.status).toBe(200);
    expect(signed.text).toContain('MSA|AA|');
  });

  it('limits the rate per source with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let index = 0; index < 4; index += 1) {
      const payload = body();
      const response = await post(payload, signedHeaders('slow', SECRET, payload));
      statuses.push(response.status);
      retryAfter ??= response.headers['retry-after'];
    }

    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(statuses).toContain(429);
    expect(retryAfter).toBe('1');
  });

  it('registers, lists, rotates and removes sources with "pathwell sources"', () => {
    const env = {
      ...process.env,
      PATHWELL_MODE: 'production',
      PATHWELL_PUBLIC_URL: 'https://pathwell.test',
      DATABASE_URL: harness.config.databaseUrl,
      TEMPORAL_ADDRESS: harness.config.temporalAddress,
      SMTP_URL: 'smtp://localhost:25',
      PATHWELL_MASTER_KEY: harness.masterKey,
      PATHWELL_RELAY_BAA: 'true',
      PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
    };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin/pathwell.js'), 'sources', ...args], {
        env,
        encoding: 'utf8',
      });

    const added = run('add', 'cli-source', '--mllp-peer', '10.0.0.0/24');
    const listed = run('list');
    const rotated = run('rotate', 'cli-source');
    const removed = run('remove', 'cli-source');
    const again = run('remove', 'cli-source');

    expect(added.status, added.stderr).toBe(0);
    const secret = /shown once\): (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(listed.stdout).toContain('cli-source\thmac\tmllp:10.0.0.0/24');
    expect(listed.stdout).not.toContain(secret);
    expect(/shown once\): (\S+)/.exec(rotated.stdout)?.[1]).not.toBe(secret);
    expect(removed.status).toBe(0);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('source_not_found');
  });

  it('keeps secrets encrypted and tokens hashed at rest', async () => {
    const rows = await harness.pool.query<{ secret: Buffer | null; token_hash: string | null }>(
      'SELECT secret, token_hash FROM sources',
    );

    for (const row of rows.rows) {
      expect(row.secret?.toString('latin1') ?? '').not.toContain(SECRET);
      expect(row.token_hash ?? '').not.toContain(token);
    }
  });
});
