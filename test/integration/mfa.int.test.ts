import { generate } from 'otplib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.js';
import { STAFF_PASSWORD, signedInStaff } from '../support/staff.js';

// A code for the time step `offset` steps from now (±1 step is accepted for clock drift).
function codeAt(secret: string, offset: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });
}

describe('TOTP second factor', () => {
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

  it('enrols, then asks for a code at sign-in, refuses a replay, takes a recovery code once', async () => {
    const staff = await signedInStaff(h, ['designer']);
    const session = { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken };
    const signIn = (code?: string) =>
      request(h.rawApp)
        .post('/api/auth/sign-in')
        .send({ email: staff.email, password: STAFF_PASSWORD, ...(code ? { code } : {}) });

    const started = await request(h.rawApp).post('/api/auth/mfa/totp').set(session).send({});
    const secret = started.body.secret as string;
    const wrongConfirm = await request(h.rawApp)
      .post('/api/auth/mfa/totp/confirm')
      .set(session)
      .send({ code: '000000' === (await codeAt(secret, 0)) ? '111111' : '000000' });
    const confirmed = await request(h.rawApp)
      .post('/api/auth/mfa/totp/confirm')
      .set(session)
      .send({ code: await codeAt(secret, 0) });
    const recovery = confirmed.body.recoveryCodes as string[];
    const withoutCode = await signIn();
    const next = await codeAt(secret, 1);
    const withCode = await signIn(next);
    const replayed = await signIn(next);
    const withRecovery = await signIn(recovery[0]);
    const recoveryAgain = await signIn(recovery[0]);
    const rows = await h.pool.query<{ action: string; reason: string | null }>(
      'SELECT action, reason FROM audit_events WHERE actor_id = $1 ORDER BY seq',
      [`user:${staff.userId}`],
    );
    const stored = await h.pool.query('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [
      staff.userId,
    ]);

    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Pathwell:/);
    expect(wrongConfirm.status).toBe(401);
    expect(confirmed.status).toBe(200);
    expect(recovery).toHaveLength(10);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.code).toBe('mfa_required');
    expect(withCode.status).toBe(200);
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('mfa_code_invalid');
    expect(withRecovery.status).toBe(200);
    expect(recoveryAgain.status).toBe(401);
    expect(JSON.stringify(stored.rows)).not.toContain(recovery[1]);
    expect(rows.rows.map((row) => `${row.action}:${row.reason ?? ''}`)).toEqual([
      'auth.sign_in:sign_in_ok',
      'mfa.totp_enabled:',
      'auth.sign_in:mfa_required',
      'auth.sign_in:sign_in_ok',
      'auth.sign_in:mfa_code_invalid',
      'auth.sign_in:sign_in_ok',
      'auth.sign_in:mfa_code_invalid',
    ]);
  });

  it('turns TOTP off only with a valid code, and audits it', async () => {
    const staff = await signedInStaff(h, ['viewer']);
    const session = { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken };
    const started = await request(h.rawApp).post('/api/auth/mfa/totp').set(session).send({});
    const confirmed = await request(h.rawApp)
      .post('/api/auth/mfa/totp/confirm')
      .set(session)
      .send({ code: await codeAt(started.body.secret, 0) });

    const refused = await request(h.rawApp)
      .post('/api/auth/mfa/totp/disable')
      .set(session)
      .send({ code: 'zzzz-zzzz-zzzz' });
    const disabled = await request(h.rawApp)
      .post('/api/auth/mfa/totp/disable')
      .set(session)
      .send({ code: confirmed.body.recoveryCodes[3] });
    const plain = await request(h.rawApp)
      .post('/api/auth/sign-in')
      .send({ email: staff.email, password: STAFF_PASSWORD });
    const audited = await h.pool.query(
      "SELECT details FROM audit_events WHERE action = 'mfa.totp_disabled' AND actor_id = $1",
      [`user:${staff.userId}`],
    );

    expect(refused.status).toBe(401);
    expect(disabled.status).toBe(204);
    expect(plain.status).toBe(200);
    expect(audited.rows[0]?.details).toEqual({ with: 'recovery_code_used' });
  });
});
