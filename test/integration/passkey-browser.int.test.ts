import type { Server } from 'node:http';
import getPort from 'get-port';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.js';
import { signedInStaff } from '../support/staff.js';

// A real browser's WebAuthn against the real server: Chromium's virtual authenticator (CDP
// WebAuthn domain) makes and uses the passkey, as a platform authenticator would. The calls
// are made by hand from a page the server serves, to check the raw ceremony; the builder's
// sign-in screen does the same through @simplewebauthn/browser in test/e2e/builder.int.test.ts.
describe('passkeys in Chromium (virtual authenticator)', () => {
  let h: Harness;
  let server: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const port = await getPort();
    origin = `http://localhost:${port}`;
    h = await startHarness({
      withWorker: false,
      env: {
        PATHWELL_PUBLIC_URL: origin,
        PATHWELL_SIGN_IN_RATE_LIMIT: '1000',
        PATHWELL_PASSKEY_ROLES: 'admin',
      },
    });
    server = await new Promise((resolve) => {
      const listening = h.rawApp.listen(port, '127.0.0.1', () => resolve(listening));
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await h?.close();
  });

  it('registers a passkey from a password session and signs in with it as admin', async () => {
    const admin = await signedInStaff(h, ['admin']);
    const context = await browser.newContext();
    const [name, value] = admin.cookie.split('=') as [string, string];
    await context.addCookies([
      { name, value, url: origin, httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(`${origin}/healthz`);

    const outcome = await page.evaluate(async (csrf) => {
      const fromB64 = (text: string) =>
        Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      const toB64 = (buffer: ArrayBuffer) =>
        btoa(String.fromCharCode(...new Uint8Array(buffer)))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '');
      const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
        const answer = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body ?? {}),
        });
        return { status: answer.status, body: await answer.json().catch(() => null) };
      };
      const withCsrf = { 'x-csrf-token': csrf };
      const before = (await fetch('/api/users')).status;
      const options = (await post('/api/auth/passkeys/options', {}, withCsrf)).body;
      const created = (await navigator.credentials.create({
        publicKey: {
          ...options,
          challenge: fromB64(options.challenge),
          user: { ...options.user, id: fromB64(options.user.id) },
          excludeCredentials: [],
        },
      })) as PublicKeyCredential;
      const attestation = created.response as AuthenticatorAttestationResponse;
      const registered = await post(
        '/api/auth/passkeys',
        {
          response: {
            id: created.id,
            rawId: toB64(created.rawId),
            type: created.type,
            clientExtensionResults: {},
            response: {
              clientDataJSON: toB64(attestation.clientDataJSON),
              attestationObject: toB64(attestation.attestationObject),
              transports: attestation.getTransports(),
            },
          },
        },
        withCsrf,
      );
      const request = (await post('/api/auth/passkey/options', {})).body;
      const got = (await navigator.credentials.get({
        publicKey: { ...request, challenge: fromB64(request.challenge) },
      })) as PublicKeyCredential;
      const assertion = got.response as AuthenticatorAssertionResponse;
      const signedIn = await post('/api/auth/passkey/sign-in', {
        response: {
          id: got.id,
          rawId: toB64(got.rawId),
          type: got.type,
          clientExtensionResults: {},
          response: {
            clientDataJSON: toB64(assertion.clientDataJSON),
            authenticatorData: toB64(assertion.authenticatorData),
            signature: toB64(assertion.signature),
            userHandle: assertion.userHandle === null ? undefined : toB64(assertion.userHandle),
          },
        },
      });
      const after = (await fetch('/api/users')).status;
      return { before, registered: registered.status, signedIn: signedIn.status, after };
    }, admin.csrfToken);
    await context.close();

    expect(outcome).toEqual({ before: 403, registered: 201, signedIn: 200, after: 200 });
  });
});
