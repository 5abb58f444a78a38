import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed } from '../../server/auth/is-allowed.js';
import { type AccessRule, ROUTE_ACCESS } from '../../server/auth/route-access.js';
import { ROLES } from '../../server/auth/roles.js';
import { createApiToken } from '../../server/db/api-tokens.store.js';
import { initApp } from '../../server/http/app.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type Staff, signedInStaff } from '../support/staff.js';

type RolesRule = Extract<AccessRule, { kind: 'roles' }>;
type Method = 'get' | 'post' | 'put' | 'delete';

// Signing out is tested on its own: in the matrix it would end the session under test.
const SESSION_ENDING = new Set(['POST /api/auth/sign-out', 'POST /api/auth/sign-out-everywhere']);
const ROLE_ROUTES = Object.entries(ROUTE_ACCESS).filter(
  (entry): entry is [string, RolesRule] => entry[1].kind === 'roles',
);

const SIGNED_IN_ROUTES = Object.entries(ROUTE_ACCESS).filter(
  ([, rule]) => rule.kind === 'signed_in',
);

/** A concrete request for a table key: ids made up (the guard runs before any lookup). */
function concrete(key: string): { method: Method; path: string } {
  const [method = '', pattern = ''] = key.split(' ');
  const path = pattern.replace(':version', '1').replace(/:[A-Za-z]+/g, () => randomUUID());
  return { method: method.toLowerCase() as Method, path };
}

function call(h: Harness, key: string, headers: Record<string, string>) {
  const { method, path } = concrete(key);
  const pending = request(h.rawApp)[method](path).set(headers);
  return method === 'get' ? pending : pending.send({});
}

describe('access control on every route', () => {
  let h: Harness;
  const staff = new Map<string, Staff>();

  beforeAll(async () => {
    // Passwords only here: the passkey requirement has its own suite.
    h = await startHarness({
      withWorker: false,
      env: { PATHWELL_SIGN_IN_RATE_LIMIT: '1000', PATHWELL_PASSKEY_ROLES: '' },
    });
    for (const role of ROLES) {
      staff.set(role, await signedInStaff(h, [role]));
    }
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('answers 401 to a call without credentials on every route that needs a role', async () => {
    const answers = [];
    for (const [key] of [...ROLE_ROUTES, ...SIGNED_IN_ROUTES]) {
      const answer = await call(h, key, {});
      answers.push(`${key} ${answer.status} ${answer.body?.code}`);
    }

    expect(ROLE_ROUTES.length).toBeGreaterThan(40);
    expect(answers).toEqual(
      [...ROLE_ROUTES, ...SIGNED_IN_ROUTES].map(([key]) => `${key} 401 authentication_required`),
    );
  });

  it('lets each role through or answers 403, as the table says', async () => {
    const wrong: string[] = [];
    for (const [key, rule] of ROLE_ROUTES.filter(([k]) => !SESSION_ENDING.has(k))) {
      for (const role of ROLES) {
        const member = staff.get(role) as Staff;
        const answer = await call(h, key, {
          cookie: member.cookie,
          'x-csrf-token': member.csrfToken,
        });
        const principal = { type: 'user', userId: member.userId, roles: [role], sessionId: '' };
        const isExpected = isAllowed(rule, principal as never, concrete(key).method);
        const isRefused = answer.status === 403 && answer.body.code === 'role_forbidden';
        if (isExpected === isRefused || answer.status === 401) {
          wrong.push(`${key} as ${role}: ${answer.status} ${answer.body?.code}`);
        }
      }
    }

    expect(wrong).toEqual([]);
  }, 120_000);

  it('lets public routes, hooks and the development outbox answer without credentials', async () => {
    const health = await request(h.rawApp).get('/healthz');
    const unsubscribe = await request(h.rawApp).get(`/u/${'A'.repeat(22)}`);
    const outbox = await request(h.rawApp).get('/api/dev/outbox');
    const hook = await request(h.rawApp)
      .post('/api/hooks/fhir')
      .set('content-type', 'application/fhir+json')
      .send({ resourceType: 'Basic', id: 'x' });

    expect(health.status).toBe(200);
    expect(unsubscribe.status).toBe(404);
    expect(outbox.status).toBe(200);
    expect(hook.status).toBe(202);
  });

  it("rate-limits patients' link routes per address, leaving health checks alone", async () => {
    const config = { ...h.config, access: { ...h.config.access, publicRateLimit: 1 } };
    const app = initApp({ ...h.deps, config });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await request(app).get(`/m/${'Z'.repeat(30)}`)).status);
    }
    const health: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      health.push((await request(app).get('/healthz')).status);
    }

    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
    expect(health).toEqual([200, 200, 200]);
  });

  it('answers 401 to a revoked or expired API token and takes a live one', async () => {
    const live = await createApiToken(h.pool, h.keyring, {
      name: 'live',
      scopes: ['viewer'],
      createdBy: 'test',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const expired = await createApiToken(h.pool, h.keyring, {
      name: 'expired',
      scopes: ['admin'],
      createdBy: 'test',
      expiresAt: new Date(Date.now() - 1_000),
    });
    const issued = await request(h.rawApp)
      .post('/api/tokens')
      .set('authorization', `Bearer ${h.adminToken}`)
      .send({ name: 'ci', scopes: ['admin'], expiresInDays: 1 });
    const before = await request(h.rawApp)
      .get('/api/tokens')
      .set('authorization', `Bearer ${issued.body.token}`);
    const revoked = await request(h.rawApp)
      .delete(`/api/tokens/${issued.body.id}`)
      .set('authorization', `Bearer ${h.adminToken}`);
    const after = await request(h.rawApp)
      .get('/api/tokens')
      .set('authorization', `Bearer ${issued.body.token}`);
    const old = await request(h.rawApp)
      .get('/api/journeys')
      .set('authorization', `Bearer ${expired.token}`);
    const viewer = await request(h.rawApp)
      .get('/api/journeys')
      .set('authorization', `Bearer ${live.token}`);

    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^pwt_/);
    expect(before.status).toBe(200);
    expect(JSON.stringify(before.body)).not.toContain(issued.body.token);
    expect(revoked.status).toBe(204);
    expect(after.status).toBe(401);
    expect(old.status).toBe(401);
    expect(viewer.status).toBe(200);
  });

  it('gives a read-only token the reads and refuses it every write', async () => {
    const { token } = await createApiToken(h.pool, h.keyring, {
      name: 'reader',
      scopes: ['read_only'],
      createdBy: 'test',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const auth = { authorization: `Bearer ${token}` };

    const read = await request(h.rawApp).get('/api/audit').set(auth);
    const write = await request(h.rawApp).post('/api/journeys').set(auth).send({});
    const users = await request(h.rawApp).get('/api/users').set(auth);

    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(users.status).toBe(403);
  });
});
