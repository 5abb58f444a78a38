import type { Request, Response } from 'express';

/** The session cookie's name. */
export const SESSION_COOKIE = 'pathwell_session';

/** The header a session-authenticated state-changing request carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value on a request, if it carries one. */
export function sessionTokenOf(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) {
      return decodeURIComponent(value.join('='));
    }
  }
  return undefined;
}

/**
 * Sets the session cookie: HttpOnly (no script reads it), Secure (browsers count localhost as
 * secure, so development works too), SameSite=Strict (no other site's page sends it), for the
 * session's absolute lifetime; the idle limit is enforced on the server.
 */
export function setSessionCookie(res: Response, token: string, maxHours: number): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
    maxAge: maxHours * 3_600_000,
  });
}

/** Clears the session cookie in the browser. */
export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
}
