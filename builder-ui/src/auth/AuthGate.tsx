import { type JSX, type ReactNode, useEffect, useState } from 'react';
import { type AuthApi, authApi, type Session } from '../api/auth.js';
import { onUnauthorized } from '../api/client.js';
import { AccountMenu } from './AccountMenu.js';
import { SessionProvider } from './session-context.js';
import { SignInScreen } from './SignInScreen.js';

type GateState =
  | { kind: 'checking' }
  | { kind: 'signed-out'; notice?: string; wasSignedOutByUser?: boolean }
  | { kind: 'signed-in'; session: Session };

/**
 * Shows the sign-in screen until `GET /api/auth/session` finds a session, and again whenever
 * any call answers 401 (expired or revoked); otherwise the builder with the account menu.
 */
export function AuthGate(props: { children: ReactNode; auth?: AuthApi }): JSX.Element {
  const auth = props.auth ?? authApi;
  const [state, setState] = useState<GateState>({ kind: 'checking' });
  const [lastSession, setLastSession] = useState<Session | null>(null);

  useEffect(() => {
    onUnauthorized(() =>
      setState({ kind: 'signed-out', notice: 'Your session has ended; sign in again.' }),
    );
    auth.session().then(
      (session) => {
        setLastSession(session);
        setState(session === null ? { kind: 'signed-out' } : { kind: 'signed-in', session });
      },
      () => setState({ kind: 'signed-out', notice: 'The server could not be reached.' }),
    );
    return () => onUnauthorized(undefined);
  }, [auth]);

  if (state.kind === 'checking') {
    return <p className="sign-in">Checking your session…</p>;
  }
  const signInScreen = (notice: string | undefined) => (
    <SignInScreen
      auth={auth}
      notice={notice}
      onSignedIn={(session) => {
        setLastSession(session);
        setState({ kind: 'signed-in', session });
      }}
    />
  );
  if (state.kind === 'signed-out' && (lastSession === null || state.wasSignedOutByUser)) {
    return signInScreen(state.notice);
  }
  const session = state.kind === 'signed-in' ? state.session : (lastSession as Session);
  // A session that ran out mid-edit keeps the builder mounted (hidden) under the sign-in
  // screen, so an unsaved draft survives signing in again. Keyed by user: someone else signing
  // in on this tab gets a fresh builder, never the last user's draft.
  return (
    <SessionProvider value={session}>
      {state.kind === 'signed-out' ? signInScreen(state.notice) : null}
      <div
        key={session.userId ?? session.tokenId}
        hidden={state.kind === 'signed-out'}
        className="signed-in"
      >
        <AccountMenu
          session={session}
          auth={auth}
          onSignedOut={(notice) =>
            setState({ kind: 'signed-out', notice, wasSignedOutByUser: true })
          }
        />
        {props.children}
      </div>
    </SessionProvider>
  );
}
