import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relyingPartyOf } from '../../server/auth/webauthn-party.js';
import { type Harness, startHarness } from '../support/harness.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { signedInStaff } from '../support/staff.js';

// Production's default (set here: the harness runs in development, which has none yet): the
// admin role counts only in a session opened with a passkey.
describe('passkeys (WebAuthn) and roles that require one', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      withWorker: false,
      env: { PATHWELL_SIGN_IN_RATE_LIMIT: '1000', PATHWELL_PASSKEY_ROLES: 'admin' },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('gives an admin signed in with a password nothing but enrolment, and everything with a passkey', async () => {
    const admin = await signedInStaff(h, ['admin']);
    const session = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
    const authenticator = new SoftAuthenticator(relyingPartyOf(h.config).origin);

    const withPassword = await request(h.rawApp).get('/api/users').set(session);
    const creation = await request(h.rawApp).post('/api/auth/passkeys/options').set(session);
    const registered = await request(h.rawApp)
      .post('/api/auth/passkeys')
      .set(session)
      .send({ response: authenticator.create(creation.body) });
    const replayedRegistration = await request(h.rawApp)
      .post('/api/auth/passkeys')
      .set(session)
      .send({ response: authenticator.create(creation.body) });
    const requestOptions = await request(h.rawApp).post('/api/auth/passkey/options');
    const signedIn = await request(h.rawApp)
      .post('/api/auth/passkey/sign-in')
      .send({ response: authenticator.get(requestOptions.body) });
    const cookie = String(([] as string[]).concat(signedIn.headers['set-cookie'] ?? [])[0]).split(
      ';',
    )[0];
    const withPasskey = await request(h.rawApp)
      .get('/api/users')
      .set('cookie', cookie ?? '');
    const audited = await h.pool.query<{ action: string; details: { secondFactor?: string } }>(
      "SELECT action, details FROM audit_events WHERE actor_id = $1 AND action IN ('mfa.passkey_added', 'auth.sign_in') ORDER BY seq",
      [`user:${admin.userId}`],
    );

    expect(withPassword.status).toBe(403);
    expect(creation.status).toBe(200);
    expect(registered.status).toBe(201);
    expect(replayedRegistration.status).toBe(401);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.userId).toBe(admin.userId);
    expect(withPasskey.status).toBe(200);
    expect(audited.rows.map((row) => row.action)).toEqual([
      'auth.sign_in',
      'mfa.passkey_added',
      'auth.sign_in',
    ]);
    expect(audited.rows[2]?.details.secondFactor).toBe('passkey');
  });

  it('refuses a signature made for another origin (a phishing site) and a used challenge', async () => {
    const designer = await signedInStaff(h, ['designer']);
    const session = { cookie: designer.cookie, 'x-csrf-token': designer.csrfToken };
    const authenticator = new SoftAuthenticator(relyingPartyOf(h.config).origin);
    const creation = await request(h.rawApp).post('/api/auth/passkeys/options').set(session);
    await request(h.rawApp)
      .post('/api/auth/passkeys')
      .set(session)
      .send({ response: authenticator.create(creation.body) });

    const phishing = await request(h.rawApp).post('/api/auth/passkey/options');
    const phished = await request(h.rawApp)
      .post('/api/auth/passkey/sign-in')
      .send({ response: authenticator.get(phishing.body, 'https://pathwell-login.example') });
    const fresh = await request(h.rawApp).post('/api/auth/passkey/options');
    const answer = authenticator.get(fresh.body);
    const first = await request(h.rawApp)
      .post('/api/auth/passkey/sign-in')
      .send({ response: answer });
    const replayed = await request(h.rawApp)
      .post('/api/auth/passkey/sign-in')
      .send({ response: answer });

    expect(phished.status).toBe(401);
    expect(phished.body.code).toBe('passkey_invalid');
    expect(first.status).toBe(200);
    expect(replayed.status).toBe(401);
  });
});
