import { type JSX, useState } from 'react';
import type { AuthApi, Session } from '../api/auth.js';

/**
 * The signed-in user's menu: their roles, add a passkey on this device, sign out here or on
 * every device. A `<details>` disclosure, so it opens with Enter or Space and needs no script
 * to be reachable by keyboard. Shows roles, not the email: the header is in every screenshot.
 */
export function AccountMenu(props: {
  session: Session;
  auth: Pick<AuthApi, 'registerPasskey' | 'signOut' | 'signOutEverywhere'>;
  onSignedOut: (notice: string) => void;
}): JSX.Element {
  const [message, setMessage] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setIsBusy(true);
    setMessage(null);
    try {
      await action();
    } catch (caught) {
      setMessage(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <details className="account-menu" data-testid="account-menu">
      <summary>Account</summary>
      <div className="account-menu__panel">
        <p>Signed in as {props.session.roles.join(', ') || 'no role'}</p>
        <button
          type="button"
          disabled={isBusy}
          data-testid="add-passkey"
          onClick={() =>
            void run(async () => {
              await props.auth.registerPasskey();
              setMessage('Passkey added: you can sign in with it on this device.');
            })
          }
        >
          Add a passkey
        </button>
        <button
          type="button"
          disabled={isBusy}
          data-testid="sign-out"
          onClick={() =>
            void run(async () => {
              await props.auth.signOut();
              props.onSignedOut('You are signed out.');
            })
          }
        >
          Sign out
        </button>
        <button
          type="button"
          disabled={isBusy}
          data-testid="sign-out-everywhere"
          onClick={() =>
            void run(async () => {
              const { ended } = await props.auth.signOutEverywhere();
              props.onSignedOut(`Signed out everywhere (${ended} sessions ended).`);
            })
          }
        >
          Sign out everywhere
        </button>
        {message !== null ? (
          <p role="status" data-testid="account-message">
            {message}
          </p>
        ) : null}
      </div>
    </details>
  );
}
