import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_JOURNEY } from '../../server/journeys/demo-journey.js';
import { largeJourney } from '../bench/large-journey.js';
import { edges, everyStepJourney, journey, node, plainEmail } from '../fixtures/journeys.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult, startedRuns } from '../support/runs.js';

const HOUR = 3_600_000;

const cyclic = journey(
  'Loops',
  [
    node('t', 'trigger.event', { eventType: 'appointment.booked' }),
    node('a', 'wait.duration', { duration: { amount: 1, unit: 'hours' } }),
    node('b', 'send.email', plainEmail('Hello')),
  ],
  edges(['t', 'out', 'a'], ['a', 'out', 'b'], ['b', 'out', 'a']),
);

describe('the journeys API', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const api = () => request(harness.app);
  const create = async (document: unknown) => {
    const response = await api()
      .post('/api/journeys')
      .send(document as object);
    expect(response.status).toBe(201);
    return response.body as { id: string; issues: Array<{ code: string }> };
  };

  it('creates a draft, answers its location, and lists it as a draft', async () => {
    const response = await api()
      .post('/api/journeys')
      .send(everyStepJourney({ name: 'Listed' }));

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/api/journeys/${response.body.id}`);
    expect(response.body).toMatchObject({ status: 'draft', issues: [], publishedVersion: null });
    const list = await api().get('/api/journeys');
    expect(list.body.journeys).toContainEqual(
      expect.objectContaining({ id: response.body.id, name: 'Listed', status: 'draft' }),
    );
    expect(list.body.journeys[0]).not.toHaveProperty('draft');
  });

  it('keeps a draft that breaks rules and says which', async () => {
    const created = await create(cyclic);

    expect(created.issues.map((issue) => issue.code)).toContain('cycle');
    const fetched = await api().get(`/api/journeys/${created.id}`);
    expect(fetched.body.draft.name).toBe('Loops');
    expect(fetched.body.issues.map((issue: { code: string }) => issue.code)).toContain('cycle');
  });

  it('refuses a malformed document with 400 and every problem, and stores nothing', async () => {
    const before = (await api().get('/api/journeys')).body.journeys.length;
    const malformed = {
      ...everyStepJourney(),
      name: '',
      nodes: [
        ...everyStepJourney().nodes,
        { id: 'x', type: 'send.fax', position: { x: 0, y: 0 }, data: {} },
      ],
    };

    const response = await api().post('/api/journeys').send(malformed);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('journey_document_malformed');
    expect(response.body.issues.map((issue: { code: string }) => issue.code).sort()).toEqual([
      'node_type_unknown',
      'schema_invalid',
    ]);
    expect((await api().get('/api/journeys')).body.journeys).toHaveLength(before);
  });

  it('answers body_malformed_json for a body that is not JSON', async () => {
    const response = await api()
      .post('/api/journeys')
      .set('content-type', 'application/json')
      .send('{"name": ');

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('body_malformed_json');
  });

  it("takes a journey of the format's 5,000 nodes, and answers 413 beyond the size limit", async () => {
    const big = await api().post('/api/journeys').send(largeJourney(5_000));
    expect(big.status).toBe(201);
    expect(big.body.issues).toEqual([]);

    const huge = await api()
      .post('/api/journeys/validate')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ ...largeJourney(10), description: 'x'.repeat(6 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('body_too_large');
  });

  it('answers 404 journey_not_found for an unknown id', async () => {
    const response = await api().get('/api/journeys/j_doesnotexist');

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('journey_not_found');
  });

  it('publishes versions: 422 with every issue, then 201, 200 when unchanged, 201 after an edit', async () => {
    const created = await create(cyclic);

    const refused = await api().post(`/api/journeys/${created.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('journey_invalid');
    expect(refused.body.issues.length).toBeGreaterThan(0);
    expect(refused.body.issues).toEqual(
      (await api().get(`/api/journeys/${created.id}`)).body.issues,
    );
    expect((await api().get(`/api/journeys/${created.id}/versions`)).body.versions).toEqual([]);

    await api().put(`/api/journeys/${created.id}`).send(DEMO_JOURNEY).expect(200);
    const first = await api().post(`/api/journeys/${created.id}/publish`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      isNew: true,
      version: {
        version: 1,
        publishedBy: expect.stringMatching(/^token:/),
        planHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      schedule: { action: 'none' },
    });
    const again = await api().post(`/api/journeys/${created.id}/publish`);
    expect(again.status).toBe(200);
    expect(again.body.version.id).toBe(first.body.version.id);

    const moved = structuredClone(DEMO_JOURNEY);
    (moved.nodes[0] as { position: { x: number } }).position.x = 500;
    const edited = await api().put(`/api/journeys/${created.id}`).send(moved);
    expect(edited.body.hasUnpublishedChanges).toBe(true);
    const second = await api().post(`/api/journeys/${created.id}/publish`);
    expect(second.status).toBe(201);
    expect(second.body.version.version).toBe(2);
    // Moving a node changes nothing a run does: the same plan, the same hash.
    expect(second.body.version.planHash).toBe(first.body.version.planHash);

    const versions = await api().get(`/api/journeys/${created.id}/versions`);
    expect(versions.body.publishedVersionId).toBe(second.body.version.id);
    expect(versions.body.versions.map((version: { version: number }) => version.version)).toEqual([
      2, 1,
    ]);
    expect(versions.body.versions[1]).toMatchObject({
      publishedBy: expect.stringMatching(/^token:/),
      publishedAt: expect.any(String),
    });
    const one = await api().get(`/api/journeys/${created.id}/versions/1`);
    expect(one.body.graph.nodes[0].position.x).toBe(0);
    expect(one.body.plan.entry).toBe('has-email');
    const none = await api().get(`/api/journeys/${created.id}/versions/9`);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('version_not_found');
  });

  it('answers 400 on publish when the stored draft is malformed, 422 when it breaks rules', async () => {
    const created = await create(DEMO_JOURNEY);
    await harness.pool.query(`UPDATE journeys SET draft = '{"schemaVersion": 1}' WHERE id = $1`, [
      created.id,
    ]);

    const response = await api().post(`/api/journeys/${created.id}/publish`);

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('journey_document_malformed');
    expect(response.body.issues.length).toBeGreaterThan(0);
  });

  it('exports a journey as a file that imports as the same document', async () => {
    const created = await create(everyStepJourney({ name: 'Round trip / export' }));

    const exported = await api().get(`/api/journeys/${created.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toContain('round-trip-export.journey.json');
    const imported = await api()
      .post('/api/journeys/import')
      .set('content-type', 'application/json')
      .send(exported.text);

    expect(imported.status).toBe(201);
    expect(imported.body.id).not.toBe(created.id);
    expect(imported.body.draft).toEqual(JSON.parse(exported.text));
    expect(imported.body.issues).toEqual([]);
  });

  it('serves the JSON Schema, the validator and the catalogues the builder uses', async () => {
    const schema = await api().get('/api/journeys/schema');
    expect(schema.headers['content-type']).toContain('application/schema+json');
    expect(JSON.parse(schema.text)).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      required: expect.arrayContaining(['schemaVersion', 'name', 'nodes', 'edges']),
    });

    const invalid = await api().post('/api/journeys/validate').send(cyclic);
    expect(invalid.body).toMatchObject({ ok: false, malformed: false });
    const valid = await api().post('/api/journeys/validate').send(DEMO_JOURNEY);
    expect(valid.body).toEqual({ ok: true, malformed: false, issues: [] });

    const variables = await api().get('/api/catalogue/variables?eventType=appointment.booked');
    expect(variables.body.variables).toContainEqual(
      expect.objectContaining({ path: 'appointment.start', type: 'datetime', sensitivity: 'S1' }),
    );
    const manual = await api().get('/api/catalogue/variables');
    expect(manual.body.variables.map((v: { path: string }) => v.path)).not.toContain(
      'appointment.start',
    );
    const types = await api().get('/api/catalogue/event-types');
    expect(types.body.eventTypes).toContain('patient.discharged');
    expect(types.body.nodeTypes).toContainEqual({
      type: 'wait.event',
      handles: ['received', 'timeout'],
    });
    const bad = await api().get('/api/catalogue/variables?eventType=Not%20a%20type');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('request_invalid');

    const openApi = await api().get('/api/openapi.json');
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/journeys',
        '/api/journeys/{id}',
        '/api/journeys/{id}/publish',
        '/api/journeys/{id}/simulate',
        '/api/journeys/{id}/runs',
        '/api/events',
      ]),
    );
  });

  it('simulates the draft: the path and each send in UTC and in the patient zone', async () => {
    const created = await create(DEMO_JOURNEY);

    const response = await api()
      .post(`/api/journeys/${created.id}/simulate`)
      .send({
        startAt: '2026-03-06T12:00:00Z',
        event: {
          data: { appointment: { id: 'a', status: 'booked', start: '2026-03-08T15:00:00Z' } },
        },
        patient: { timeZone: 'America/New_York', fields: { 'patient.email': 'x@example.org' } },
      });

    expect(response.status).toBe(200);
    // 24 hours before 11:00 EDT on Sunday is 10:00 EST on Saturday: the clocks moved between.
    expect(response.body.sends).toEqual([
      {
        stepId: 'reminder',
        at: '2026-03-07T15:00:00Z',
        local: '2026-03-07T10:00:00-05:00',
        outcome: 'sent',
      },
    ]);
    expect(response.body).toMatchObject({
      source: 'draft',
      zone: 'America/New_York',
      end: { outcome: 'completed' },
    });
  });

  it('refuses to simulate a draft that breaks rules with 422 and the issues', async () => {
    const created = await create(cyclic);

    const response = await api().post(`/api/journeys/${created.id}/simulate`).send({});

    expect(response.status).toBe(422);
    expect(response.body.issues.map((issue: { code: string }) => issue.code)).toContain('cycle');
  });

  it.skipIf(!hasFixtures)(
    'unpublishing stops new runs and leaves the running one to finish',
    async () => {
      const created = await create(DEMO_JOURNEY);
      await api().post(`/api/journeys/${created.id}/publish`).expect(201);
      const before = harness.smtp.messages.length;
      const post = (start: Date) =>
        api()
          .post('/api/hooks/fhir')
          .set('content-type', 'application/fhir+json')
          .send(JSON.stringify(reminderBundle({ start }).bundle));

      const first = await post(new Date(Date.now() + 24 * HOUR + 6_000));
      const running = (await startedRuns(harness, first.body)).filter((id) =>
        id.includes(created.id),
      );
      expect(running).toHaveLength(1);
      const unpublished = await api().post(`/api/journeys/${created.id}/unpublish`);
      const second = await post(new Date(Date.now() + 24 * HOUR + 6_000));

      expect(unpublished.body.journey).toMatchObject({
        status: 'unpublished',
        publishedVersion: null,
      });
      expect(
        (await startedRuns(harness, second.body)).filter((id) => id.includes(created.id)),
      ).toEqual([]);
      expect((await runResult(harness, running[0] as string)).outcome).toBe('completed');
      await harness.smtp.waitForMessages(before + 1);
    },
  );
});
