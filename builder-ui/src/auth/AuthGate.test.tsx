import { fireEvent, render, screen } from '@testing-library/react';
import type { JSX } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthApi, Session } from '../api/auth.js';
import { api } from '../api/client.js';
import { AuthGate } from './AuthGate.js';
import { useCan } from './session-context.js';

function fakeAuth(session: Session | null): AuthApi {
  return {
    session: vi.fn(async () => session),
    signIn: vi.fn(async () => ({ userId: 'u1', roles: ['designer'] })),
    signInWithPasskey: vi.fn(async () => ({ userId: 'u1', roles: ['designer'] })),
    registerPasskey: vi.fn(async () => ({ id: 'k1' })),
    signOut: vi.fn(async () => undefined),
    signOutEverywhere: vi.fn(async () => ({ ended: 2 })),
  };
}

function Builder(): JSX.Element {
  const mayEdit = useCan('edit');
  return (
    <div>
      {mayEdit ? <button type="button">New journey</button> : null}
      <button type="button" onClick={() => void api.listJourneys().catch(() => undefined)}>
        Reload
      </button>
    </div>
  );
}

describe('AuthGate', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the sign-in screen when there is no session', async () => {
    render(
      <AuthGate auth={fakeAuth(null)}>
        <Builder />
      </AuthGate>,
    );

    expect(await screen.findByRole('heading', { name: 'Sign in to Pathwell' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
  });

  it('hides editing from a viewer and returns to sign-in when a call answers 401', async () => {
    render(
      <AuthGate auth={fakeAuth({ userId: 'u2', roles: ['viewer'], csrfToken: 'c' })}>
        <Builder />
      </AuthGate>,
    );
    const reload = await screen.findByRole('button', { name: 'Reload' });
    expect(screen.queryByRole('button', { name: 'New journey' })).toBeNull();

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ code: 'session_expired' }), { status: 401 })),
    );
    fireEvent.click(reload);

    expect((await screen.findByRole('status')).textContent).toContain('sign in again');
    expect(screen.getByRole('heading', { name: 'Sign in to Pathwell' })).toBeTruthy();
  });

  it('shows editing to a designer', async () => {
    render(
      <AuthGate auth={fakeAuth({ userId: 'u3', roles: ['designer'], csrfToken: 'c' })}>
        <Builder />
      </AuthGate>,
    );

    expect(await screen.findByRole('button', { name: 'New journey' })).toBeTruthy();
  });

  it('signs out everywhere from the account menu and drops the builder', async () => {
    const auth = fakeAuth({ userId: 'u4', roles: ['publisher'], csrfToken: 'c' });
    render(
      <AuthGate auth={auth}>
        <Builder />
      </AuthGate>,
    );
    await screen.findByRole('button', { name: 'Reload' });

    fireEvent.click(screen.getByText('Account'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    expect((await screen.findByRole('status')).textContent).toContain('2 sessions ended');
    expect(auth.signOutEverywhere).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
  });
});
