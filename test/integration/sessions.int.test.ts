import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccess } from '../../server/auth/bootstrap.js';
import { appendAudit } from '../../server/db/audit.store.js';
import { createUser } from '../../server/db/users.store.js';
import { initApp } from '../../server/http/app.js';
import { everyStepJourney } from '../fixtures/journeys.js';
import { type Harness, startHarness } from '../support/harness.js';
import { STAFF_PASSWORD, signedInStaff, signIn } from '../support/staff.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const JOURNEY = everyStepJourney({ name: 'CSRF probe' });

async function auditActions(h: Harness, actorId: string): Promise<string[]> {
  const rows = await h.pool.query<{ action: string; reason: string | null }>(
    'SELECT action, reason FROM audit_events WHERE actor_id = $1 ORDER BY seq',
    [actorId],
  );
  return rows.rows.map((row) => `${row.action}:${row.reason ?? ''}`);
}

describe('sessions, CSRF, lockout and setup links', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      withWorker: false,
      env: { PATHWELL_SIGN_IN_RATE_LIMIT: '1000', PATHWELL_PASSKEY_ROLES: '' },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('sets an HttpOnly, Secure, SameSite=Strict cookie and security headers', async () => {
    const staff = await signedInStaff(h, ['viewer']);
    const answer = await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: staff.email, password: STAFF_PASSWORD });
    const session = await request(h.rawApp).get('/api/auth/session').set('cookie', staff.cookie);

    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(session.body).toMatchObject({ userId: staff.userId, roles: ['viewer'] });
  });

  it('refuses a state-changing request with the cookie but without the CSRF token', async () => {
    const designer = await signedInStaff(h, ['designer']);
    const count = async () =>
      Number((await h.pool.query('SELECT count(*) AS n FROM journeys')).rows[0].n);
    const before = await count();

    const forged = await request(h.rawApp)
      .post('/api/journeys')
      .set('cookie', designer.cookie)
      .send(JOURNEY);
    const wrong = await request(h.rawApp)
      .post('/api/journeys')
      .set('cookie', designer.cookie)
      .set('x-csrf-token', 'a'.repeat(64))
      .send(JOURNEY);

    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_token_invalid');
    expect(wrong.status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('refuses a session idle past the timeout or past its lifetime', async () => {
    const idle = await signedInStaff(h, ['viewer']);
    const old = await signedInStaff(h, ['viewer']);
    await h.pool.query(
      "UPDATE sessions SET last_seen_at = now() - interval '16 minutes' WHERE user_id = $1",
      [idle.userId],
    );
    await h.pool.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1",
      [old.userId],
    );

    const idleAnswer = await request(h.rawApp).get('/api/journeys').set('cookie', idle.cookie);
    const oldAnswer = await request(h.rawApp).get('/api/journeys').set('cookie', old.cookie);

    expect(idleAnswer.status).toBe(401);
    expect(idleAnswer.body.code).toBe('session_expired');
    expect(oldAnswer.status).toBe(401);
  });

  it('signs out everywhere: every session of the user ends', async () => {
    const first = await signedInStaff(h, ['operator']);
    const second = await signIn(h, first.email);

    const ended = await request(h.rawApp)
      .post('/api/auth/sign-out-everywhere')
      .set('cookie', first.cookie)
      .set('x-csrf-token', first.csrfToken);
    const afterwards = await request(h.rawApp).get('/api/journeys').set('cookie', second.cookie);

    expect(ended.body).toEqual({ ended: 2 });
    expect(afterwards.status).toBe(401);
  });

  it('locks an account after five failures in a row, audits each attempt', async () => {
    const staff = await signedInStaff(h, ['auditor']);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await request(h.rawApp)
        .post('/api/auth/sign-in')
        .send({ email: staff.email, password: 'not the password at all' });
      statuses.push(answer.status);
    }
    const locked = await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: staff.email, password: STAFF_PASSWORD });
    const unknown = await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: 'nobody@staff.example', password: STAFF_PASSWORD });

    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('sign_in_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('sign_in_failed');
    expect(await auditActions(h, `user:${staff.userId}`)).toEqual([
      'auth.sign_in:sign_in_ok',
      ...Array(5).fill('auth.sign_in:sign_in_failed'),
      'auth.sign_in:sign_in_locked',
    ]);
  });

  it('audits role changes with the acting admin, and ends the changed user’s sessions', async () => {
    const admin = await signedInStaff(h, ['admin']);
    const viewer = await signedInStaff(h, ['viewer']);

    const changed = await request(h.rawApp)
      .put(`/api/users/${viewer.userId}/roles`)
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrfToken)
      .send({ roles: ['publisher'] });
    const stale = await request(h.rawApp).get('/api/journeys').set('cookie', viewer.cookie);
    const rows = await h.pool.query(
      "SELECT details FROM audit_events WHERE action = 'user.roles_changed' AND actor_id = $1",
      [`user:${admin.userId}`],
    );

    expect(changed.status).toBe(200);
    expect(stale.status).toBe(401);
    expect(rows.rows[0]?.details).toEqual({
      userId: viewer.userId,
      from: ['viewer'],
      to: ['publisher'],
    });
  });

  it('disables a user: the session ends, sign-in is refused, the admin is audited', async () => {
    const leaver = await signedInStaff(h, ['operator']);

    const disabled = await request(h.rawApp)
      .delete(`/api/users/${leaver.userId}`)
      .set('authorization', `Bearer ${h.adminToken}`);
    const session = await request(h.rawApp).get('/api/journeys').set('cookie', leaver.cookie);
    const again = await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: leaver.email, password: STAFF_PASSWORD });
    const audited = await h.pool.query(
      "SELECT actor_type FROM audit_events WHERE action = 'user.disabled' AND details->>'userId' = $1",
      [leaver.userId],
    );

    expect(disabled.status).toBe(204);
    expect(session.status).toBe(401);
    expect(again.status).toBe(401);
    expect(audited.rows).toEqual([{ actor_type: 'integration' }]);
  });

  it('refuses an audit row without an actor', async () => {
    await expect(
      appendAudit(h.pool, { actorId: '', actorType: 'user', action: 'test.no_actor' }),
    ).rejects.toMatchObject({ code: 'audit_actor_missing' });
  });

  it('sets a password through a one-time setup link, once', async () => {
    const email = `invited-${Date.now()}@staff.example`;
    const invited = await request(h.rawApp)
      .post('/api/users')
      .set('authorization', `Bearer ${h.adminToken}`)
      .send({ email, roles: ['designer'] });
    const link = new URL(invited.body.setupLink as string);

    const page = await request(h.rawApp).get(link.pathname);
    const short = await request(h.rawApp).post(link.pathname).type('form').send('password=short');
    const set = await request(h.rawApp)
      .post(link.pathname)
      .type('form')
      .send(`password=${encodeURIComponent(STAFF_PASSWORD)}`);
    const again = await request(h.rawApp).get(link.pathname);
    const session = await signIn(h, email);

    expect(invited.status).toBe(201);
    expect(page.status).toBe(200);
    expect(page.text).toContain('type="password"');
    expect(short.status).toBe(422);
    expect(set.status).toBe(200);
    expect(again.status).toBe(404);
    expect(session.csrfToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints a setup link from "pathwell users create --admin"', () => {
    const email = `cli-${Date.now()}@staff.example`;
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/pathwell.js'), 'users', 'create', email, '--admin'],
      {
        env: {
          ...process.env,
          DATABASE_URL: h.config.databaseUrl,
          PATHWELL_MASTER_KEY: h.masterKey,
          PATHWELL_PUBLIC_URL: 'https://pathwell.example',
          PATHWELL_LOG_LEVEL: 'warn',
        },
        encoding: 'utf8',
      },
    );

    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/https:\/\/pathwell\.example\/setup\/[A-Za-z0-9_-]{32}/);
  });
});

describe('first start', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      withWorker: false,
      env: { PATHWELL_SIGN_IN_RATE_LIMIT: '1000', PATHWELL_PASSKEY_ROLES: '' },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('makes the configured admin and bootstrap token once, and guards the outbox with it', async () => {
    const token = 'b'.repeat(40);
    const config = {
      ...h.config,
      access: {
        ...h.config.access,
        adminEmail: 'first@staff.example',
        adminPassword: STAFF_PASSWORD,
        bootstrapToken: token,
      },
    };
    const deps = { ...h.deps, config };

    const link = await bootstrapAccess(deps);
    await bootstrapAccess(deps);
    const app = initApp(deps);
    const users = await request(app).get('/api/users').set('authorization', `Bearer ${token}`);
    const bare = await request(app).get('/api/dev/outbox');
    const withToken = await request(app)
      .get('/api/dev/outbox')
      .set('authorization', `Bearer ${token}`);
    const tokens = await h.pool.query("SELECT 1 FROM api_tokens WHERE name = 'bootstrap'");

    expect(link).toBeUndefined();
    expect(users.body.map((user: { email: string }) => user.email)).toEqual([
      'first@staff.example',
    ]);
    expect(tokens.rowCount).toBe(1);
    expect(bare.status).toBe(401);
    expect(withToken.status).toBe(200);
    await expect(signIn(h, 'first@staff.example')).resolves.toBeDefined();
  });

  it('prints a setup link in development when no user exists and none is configured', async () => {
    await h.pool.query('DELETE FROM users');

    const link = await bootstrapAccess(h.deps);
    await createUser(h.pool, h.keyring, { email: 'later@staff.example', roles: ['viewer'] });
    const second = await bootstrapAccess(h.deps);

    expect(link).toMatch(/\/setup\/[A-Za-z0-9_-]{32}$/);
    expect(second).toBeUndefined();
  });
});
