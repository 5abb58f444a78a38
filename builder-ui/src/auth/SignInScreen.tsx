import { type FormEvent, type JSX, useId, useRef, useState, useEffect } from 'react';
import type { AuthApi, Session } from '../api/auth.js';
import { ApiError } from '../api/client.js';

/**
 * The builder's sign-in: email and password, then a TOTP (or recovery) code when the server
 * answers `mfa_required`; or a passkey. Errors show the problem detail the server wrote.
 */
export function SignInScreen(props: {
  auth: Pick<AuthApi, 'signIn' | 'signInWithPasskey'>;
  onSignedIn: (session: Session) => void;
  notice?: string | undefined;
}): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const hintId = useId();

  useEffect(() => {
    if (needsCode) {
      codeInput.current?.focus();
    }
  }, [needsCode]);

  const attempt = async (signIn: () => Promise<Session>) => {
    setIsBusy(true);
    setError(null);
    try {
      props.onSignedIn(await signIn());
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'mfa_required') {
        setNeedsCode(true);
        return;
      }
      setError(describe(caught));
    } finally {
      setIsBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void attempt(() => props.auth.signIn(email, password, needsCode ? code.trim() : undefined));
  };

  return (
    <main className="sign-in">
      <h1>Sign in to Pathwell</h1>
      {props.notice !== undefined ? <p role="status">{props.notice}</p> : null}
      <form onSubmit={onSubmit} aria-describedby={error === null ? undefined : errorId}>
        <label>
          Email
          <input
            type="email"
            autoComplete="username webauthn"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {needsCode ? (
          <>
            <label>
              Authenticator code
              <input
                ref={codeInput}
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                aria-describedby={hintId}
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            </label>
            <p className="hint" id={hintId}>
              This account has a second factor: enter the 6-digit code from your authenticator app,
              or a recovery code.
            </p>
          </>
        ) : null}
        <button type="submit" disabled={isBusy} data-testid="sign-in">
          {needsCode ? 'Verify and sign in' : 'Sign in'}
        </button>
      </form>
      <p className="sign-in__or">or</p>
      <button
        type="button"
        disabled={isBusy}
        onClick={() => void attempt(props.auth.signInWithPasskey)}
        data-testid="sign-in-passkey"
      >
        Sign in with a passkey
      </button>
      {error !== null ? (
        <p className="warning" role="alert" id={errorId} data-testid="sign-in-error">
          {error}
        </p>
      ) : null}
    </main>
  );
}

// The server's detail says what to do; a browser refusal (a cancelled passkey prompt) is a
// DOMException whose message is already written for people.
function describe(caught: unknown): string {
  if (caught instanceof ApiError) {
    return caught.message;
  }
  if (caught instanceof Error && caught.name === 'NotAllowedError') {
    return 'The passkey prompt was cancelled or timed out; try again or use your password.';
  }
  return caught instanceof Error ? caught.message : String(caught);
}
