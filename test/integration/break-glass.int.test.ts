import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, linesInto } from '../support/harness.js';
import { signedInStaff } from '../support/staff.js';

const REASON = 'Night shift: patient Ada Hollow needs her contact record checked now';

describe('break-glass access', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await startHarness({
      withWorker: false,
      env: { PATHWELL_SIGN_IN_RATE_LIMIT: '1000', PATHWELL_PASSKEY_ROLES: '' },
      log: {
        level: 'info',
        destination: linesInto(lines),
      },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('needs a reason, lets the session through for a while, alerts and audits each use', async () => {
    const viewer = await signedInStaff(h, ['viewer']);
    const session = { cookie: viewer.cookie, 'x-csrf-token': viewer.csrfToken };

    const before = await request(h.rawApp).get('/api/audit').set(session);
    const terse = await request(h.rawApp)
      .post('/api/auth/break-glass')
      .set(session)
      .send({ reason: 'need it' });
    const started = await request(h.rawApp)
      .post('/api/auth/break-glass')
      .set(session)
      .send({ reason: REASON, minutes: 15 });
    const during = await request(h.rawApp).get('/api/audit').set(session);
    await h.pool.query("UPDATE break_glass_grants SET ends_at = now() - interval '1 second'");
    const after = await request(h.rawApp).get('/api/audit').set(session);
    const rows = await h.pool.query<{ action: string; details: Record<string, unknown> }>(
      "SELECT action, details FROM audit_events WHERE actor_id = $1 AND action LIKE 'break_glass.%' ORDER BY seq",
      [`user:${viewer.userId}`],
    );

    expect(before.status).toBe(403);
    expect(terse.status).toBe(400);
    expect(started.status).toBe(201);
    expect(during.status).toBe(200);
    expect(after.status).toBe(403);
    expect(rows.rows.map((row) => row.action)).toEqual([
      'break_glass.started',
      'break_glass.access',
    ]);
    expect(rows.rows[1]?.details).toMatchObject({ method: 'GET', route: '/api/audit' });
    const alert = lines.find((line) => line.includes('Break-glass access started'));
    expect(alert).toContain('"level":50');
    expect(lines.join('')).not.toContain('Ada Hollow');
  });

  it('ends early on request, and shows auditors the reason', async () => {
    const operator = await signedInStaff(h, ['operator']);
    const auditor = await signedInStaff(h, ['auditor']);
    const session = { cookie: operator.cookie, 'x-csrf-token': operator.csrfToken };
    await request(h.rawApp).post('/api/auth/break-glass').set(session).send({ reason: REASON });

    const ended = await request(h.rawApp).post('/api/auth/break-glass/end').set(session);
    const refused = await request(h.rawApp).get('/api/users').set(session);
    const listed = await request(h.rawApp).get('/api/break-glass').set('cookie', auditor.cookie);

    expect(ended.body).toEqual({ ended: 1 });
    expect(refused.status).toBe(403);
    expect(listed.body[0]).toMatchObject({ userId: operator.userId, reason: REASON });
  });
});
