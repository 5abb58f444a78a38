import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Role } from '../../server/auth/roles.js';
import { createUser } from '../../server/db/users.store.js';
import type { Harness } from './harness.js';

/** A password every test user gets (long enough for the policy). */
export const STAFF_PASSWORD = 'correct horse battery staple';

/** A signed-in member of staff: the cookie and CSRF token a browser would hold. */
export interface Staff {
  userId: string;
  email: string;
  cookie: string;
  csrfToken: string;
}

/** Creates a user with these roles, a fresh email and {@link STAFF_PASSWORD}. */
export async function createStaff(
  h: Harness,
  roles: Role[],
): Promise<{ userId: string; email: string }> {
  const email = `${roles.join('-')}-${randomBytes(4).toString('hex')}@staff.example`;
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const { id } = await createUser(h.pool, h.keyring, { email, roles, passwordHash });
  return { userId: id, email };
}

/** Creates a user with these roles (fresh email) and signs them in through the real route. */
export async function signedInStaff(h: Harness, roles: Role[]): Promise<Staff> {
  const staff = await createStaff(h, roles);
  return { ...staff, ...(await signIn(h, staff.email)) };
}

/** Signs in an existing user; returns the session cookie (`name=value`) and CSRF token. */
export async function signIn(
  h: Harness,
  email: string,
  password = STAFF_PASSWORD,
): Promise<{ cookie: string; csrfToken: string }> {
  const answer = await request(h.rawApp).post('/api/auth/sign-in').send({ email, password });
  if (answer.status !== 200) {
    throw new Error(`sign-in answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  const setCookie = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
  return { cookie: (setCookie[0] ?? '').split(';')[0] ?? '', csrfToken: answer.body.csrfToken };
}
