import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authApi } from '../api/auth.js';
import { api } from '../api/client.js';
import { SignInScreen } from './SignInScreen.js';

// The real API client against a scripted server: only `fetch` is replaced, so what is checked
// is the screen plus the client's reading of problem details and its CSRF header.
type Answer = { status: number; body?: unknown };
function scriptedServer(answers: Answer[]) {
  const calls: { path: string; init: RequestInit }[] = [];
  const fetchMock = vi.fn(async (path: string, init: RequestInit) => {
    calls.push({ path, init });
    const answer = answers.shift() ?? { status: 500 };
    const isProblem = answer.status >= 400;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: {
        'content-type': isProblem ? 'application/problem+json' : 'application/json',
      },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

function fillPassword(email: string, password: string): void {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

function bodyOf(call: { init: RequestInit } | undefined): unknown {
  return JSON.parse(call?.init.body as string);
}

describe('SignInScreen', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the authenticator code when the server answers mfa_required', async () => {
    const calls = scriptedServer([
      {
        status: 401,
        body: { code: 'mfa_required', title: 'Second factor needed', detail: 'Send the code.' },
      },
      { status: 200, body: { userId: 'u1', roles: ['designer'], csrfToken: 'csrf-1' } },
      { status: 200, body: [] },
    ]);
    const onSignedIn = vi.fn();
    render(<SignInScreen auth={authApi} onSignedIn={onSignedIn} />);

    expect(screen.queryByLabelText('Authenticator code')).toBeNull();
    fillPassword('designer@clinic.example', 'correct horse battery staple');
    const codeField = await screen.findByLabelText('Authenticator code');
    // Focus moves in an effect after the field renders; on a busy machine that is a tick later.
    await waitFor(() => expect(document.activeElement).toBe(codeField));
    expect(onSignedIn).not.toHaveBeenCalled();
    fireEvent.change(codeField, { target: { value: ' 123456 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1));
    expect(onSignedIn.mock.calls[0]?.[0]).toMatchObject({ roles: ['designer'] });
    expect(bodyOf(calls[0])).toEqual({
      email: 'designer@clinic.example',
      password: 'correct horse battery staple',
    });
    expect(bodyOf(calls[1])).toMatchObject({ code: '123456' });
    expect(calls[1]?.init.credentials).toBe('same-origin');
    // The CSRF token from the sign-in answer goes with the next state-changing call.
    await api.createJourney({} as never).catch(() => undefined);
    expect(new Headers(calls[2]?.init.headers).get('x-csrf-token')).toBe('csrf-1');
  });

  it('shows the problem detail of a refused sign-in and stays on the form', async () => {
    scriptedServer([
      {
        status: 401,
        body: {
          code: 'sign_in_failed',
          title: 'Sign-in failed',
          detail: 'The email or password is wrong; check both and try again.',
        },
      },
    ]);
    const onSignedIn = vi.fn();
    render(<SignInScreen auth={authApi} onSignedIn={onSignedIn} />);

    fillPassword('someone@clinic.example', 'not the password');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The email or password is wrong; check both and try again.');
    expect(screen.queryByLabelText('Authenticator code')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
    expect(onSignedIn).not.toHaveBeenCalled();
  });
});
