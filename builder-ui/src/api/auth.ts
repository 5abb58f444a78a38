import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { ApiError, request, setCsrfToken } from './client.js';

/** Who is signed in (the server's `SessionSchema`). */
export interface Session {
  userId?: string;
  tokenId?: string;
  roles: string[];
  csrfToken?: string;
}

// Every answer that opens or reads a session brings the CSRF token for the calls after it.
function remember(session: Session): Session {
  setCsrfToken(session.csrfToken);
  return session;
}

/** The sign-in API, as the builder uses it. */
export const authApi = {
  /** The current session, or null when nobody is signed in. */
  session: async (): Promise<Session | null> => {
    try {
      return remember(await request<Session>('GET', '/api/auth/session'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(undefined);
        return null;
      }
      throw error;
    }
  },
  signIn: async (email: string, password: string, code?: string): Promise<Session> =>
    remember(
      await request<Session>(
        'POST',
        '/api/auth/sign-in',
        { email, password, ...(code === undefined ? {} : { code }) },
        { isSignIn: true },
      ),
    ),
  /** Asks the browser for a passkey (discoverable, so no email) and signs in with it. */
  signInWithPasskey: async (): Promise<Session> => {
    const optionsJSON = await request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/api/auth/passkey/options',
      undefined,
      { isSignIn: true },
    );
    const response: AuthenticationResponseJSON = await startAuthentication({ optionsJSON });
    return remember(
      await request<Session>('POST', '/api/auth/passkey/sign-in', { response }, { isSignIn: true }),
    );
  },
  /** Makes a passkey on this device for the signed-in user and registers it. */
  registerPasskey: async (): Promise<{ id: string }> => {
    const optionsJSON = await request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      '/api/auth/passkeys/options',
    );
    const response: RegistrationResponseJSON = await startRegistration({ optionsJSON });
    return request<{ id: string }>('POST', '/api/auth/passkeys', { response });
  },
  signOut: async (): Promise<void> => {
    await request<undefined>('POST', '/api/auth/sign-out');
    setCsrfToken(undefined);
  },
  signOutEverywhere: async (): Promise<{ ended: number }> => {
    const answer = await request<{ ended: number }>('POST', '/api/auth/sign-out-everywhere');
    setCsrfToken(undefined);
    return answer;
  },
};

/** The sign-in API's shape, so tests can hand the screen a fake of what lies outside jsdom. */
export type AuthApi = typeof authApi;
