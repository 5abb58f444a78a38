import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import { relyingPartyOf } from '../../auth/webauthn-party.js';
import { appendAudit } from '../../db/audit.store.js';
import {
  addPasskey,
  findPasskey,
  passkeysOf,
  saveChallenge,
  takeChallenge,
  touchPasskey,
} from '../../db/passkeys.store.js';
import { createSession, csrfTokenOf } from '../../db/sessions.store.js';
import { findUserById } from '../../db/users.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { requirePrincipal } from '../access-guard.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { setSessionCookie } from '../session-cookie.js';

// The browser's answer (`@simplewebauthn/browser`'s startRegistration/startAuthentication),
// checked in depth by @simplewebauthn/server.
const CeremonyBody = z.object({
  response: z.looseObject({ id: z.string().min(1).max(1_024), response: z.looseObject({}) }),
});

function challengeOf(response: unknown): string {
  const clientData = (response as { response?: { clientDataJSON?: unknown } }).response
    ?.clientDataJSON;
  try {
    const json: unknown = JSON.parse(Buffer.from(String(clientData), 'base64url').toString('utf8'));
    const challenge = (json as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' ? challenge : '';
  } catch {
    return '';
  }
}

/** Passkeys: register one for the signed-in user, and sign in with one. */
export function passkeyRoutes(deps: ServerDeps): Route[] {
  return [
    registerOptionsRoute(deps),
    registerRoute(deps),
    signInOptionsRoute(deps),
    signInRoute(deps),
  ];
}

function registerOptionsRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/auth/passkeys/options',
    summary: 'Options for navigator.credentials.create(): register a passkey',
    tags: ['auth'],
    access: 'api',
    responses: { 200: { description: 'PublicKeyCredentialCreationOptionsJSON' } },
    handler: async (_req, res) => {
      const user = await signedInUser(deps, requirePrincipal(res));
      const party = relyingPartyOf(deps.config);
      const existing = await passkeysOf(deps.pool, user.id);
      const options = await generateRegistrationOptions({
        rpName: party.name,
        rpID: party.id,
        userName: user.email,
        userID: new Uint8Array(Buffer.from(user.id)),
        attestationType: 'none',
        excludeCredentials: existing.map((key) => ({ id: key.id })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      });
      await saveChallenge(deps.pool, options.challenge, 'register', user.id);
      res.json(options);
    },
  };
}

function registerRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/auth/passkeys',
    summary: 'Register the passkey the browser made',
    tags: ['auth'],
    access: 'api',
    request: { body: CeremonyBody },
    responses: { 201: { description: '`{ id }`' } },
    handler: async (req, res) => {
      const principal = requirePrincipal(res);
      const user = await signedInUser(deps, principal);
      const { response } = parseRequest(CeremonyBody, req.body, 'body');
      const party = relyingPartyOf(deps.config);
      const challenge = challengeOf(response);
      if (!(await takeChallenge(deps.pool, challenge, 'register', user.id))) {
        throw passkeyRefused(
          'The registration challenge is unknown, used or expired; start again.',
        );
      }
      const verified = await verifyRegistrationResponse({
        response: response as never,
        expectedChallenge: challenge,
        expectedOrigin: party.origin,
        expectedRPID: party.id,
      }).catch((error: unknown) => {
        throw passkeyRefused('The passkey registration could not be verified.', error);
      });
      if (!verified.verified) {
        throw passkeyRefused('The passkey registration could not be verified.');
      }
      const { credential } = verified.registrationInfo;
      await addPasskey(deps.pool, {
        id: credential.id,
        userId: user.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
      });
      await appendAudit(deps.pool, {
        ...actorOf(principal),
        action: 'mfa.passkey_added',
        details: { passkeyId: credential.id },
      });
      res.status(201).json({ id: credential.id });
    },
  };
}

function signInOptionsRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/auth/passkey/options',
    summary: 'Options for navigator.credentials.get(): sign in with a passkey',
    tags: ['auth'],
    access: 'public',
    responses: { 200: { description: 'PublicKeyCredentialRequestOptionsJSON' } },
    handler: async (_req, res) => {
      // Discoverable credentials: the passkey says whose it is, so no email is asked for and
      // nothing tells a stranger which accounts exist.
      const options = await generateAuthenticationOptions({
        rpID: relyingPartyOf(deps.config).id,
        userVerification: 'required',
      });
      await saveChallenge(deps.pool, options.challenge, 'sign_in', undefined);
      res.json(options);
    },
  };
}

function signInRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/auth/passkey/sign-in',
    summary: 'Sign in with a passkey; sets the session cookie',
    tags: ['auth'],
    access: 'public',
    request: { body: CeremonyBody },
    responses: { 200: { description: '`{ userId, roles, csrfToken }`' } },
    handler: async (req, res) => {
      const { response } = parseRequest(CeremonyBody, req.body, 'body');
      const party = relyingPartyOf(deps.config);
      const challenge = challengeOf(response);
      const passkey = await findPasskey(deps.pool, response.id);
      if (
        passkey === undefined ||
        !(await takeChallenge(deps.pool, challenge, 'sign_in', undefined))
      ) {
        throw passkeyRefused('This passkey or challenge is not known; start the sign-in again.');
      }
      const verified = await verifyAuthenticationResponse({
        response: response as never,
        expectedChallenge: challenge,
        expectedOrigin: party.origin,
        expectedRPID: party.id,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: passkey.counter,
        },
      }).catch((error: unknown) => {
        throw passkeyRefused('The passkey signature could not be verified.', error);
      });
      const actor = { actorId: `user:${passkey.userId}`, actorType: 'user' as const };
      if (!verified.verified) {
        await appendAudit(deps.pool, {
          ...actor,
          action: 'auth.sign_in',
          decision: 'blocked',
          reason: 'passkey_invalid',
        });
        throw passkeyRefused('The passkey signature could not be verified.');
      }
      await touchPasskey(deps.pool, passkey.id, verified.authenticationInfo.newCounter);
      const user = await findUserById(deps.pool, deps.keyring, passkey.userId);
      if (user === undefined || user.isDisabled) {
        throw passkeyRefused('This passkey belongs to no active user.');
      }
      const session = await createSession(deps.pool, deps.keyring, {
        userId: user.id,
        maxHours: deps.config.access.sessionMaxHours,
        method: 'passkey',
      });
      await appendAudit(deps.pool, {
        ...actor,
        action: 'auth.sign_in',
        decision: 'allowed',
        reason: 'sign_in_ok',
        details: { sessionId: session.id, secondFactor: 'passkey' },
      });
      setSessionCookie(res, session.token, deps.config.access.sessionMaxHours);
      res.json({
        userId: user.id,
        roles: user.roles,
        csrfToken: csrfTokenOf(deps.keyring, session.token),
      });
    },
  };
}

async function signedInUser(deps: ServerDeps, principal: Principal) {
  if (principal.type !== 'user') {
    throw new AppError('request_invalid', 'Passkeys belong to users; sign in first.');
  }
  const user = await findUserById(deps.pool, deps.keyring, principal.userId);
  if (user === undefined) {
    throw new AppError('user_not_found', 'The signed-in user no longer exists; sign in again.');
  }
  return user;
}

function passkeyRefused(detail: string, cause?: unknown): AppError {
  return new AppError('passkey_invalid', detail, cause === undefined ? {} : { cause });
}
