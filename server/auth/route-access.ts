import type { Role, TokenScope } from './roles.js';

/**
 * Who may call one route.
 * - `public`: anyone (health, patients' token links, sign-in); `isRateLimited` ones take
 *   `PATHWELL_PUBLIC_RATE_LIMIT` requests a second from one address, since their tokens and
 *   codes are what a guesser would try.
 * - `hook`: an EHR source; the route itself checks the signature or the source's bearer token
 *   (unsigned only in development, from this machine).
 * - `dev_loopback`: development mode from this machine only (the route checks); once
 *   `PATHWELL_BOOTSTRAP_TOKEN` is set, also an admin.
 * - `signed_in`: any signed-in user or API token, whatever its roles (its own session, second
 *   factors: a user whose roles need a passkey can still enrol one).
 * - `roles`: a signed-in user or an API token with one of these roles (admin always), or a
 *   token with one of `scopes`.
 */
export type AccessRule =
  | { kind: 'public'; isRateLimited?: boolean }
  | { kind: 'hook' }
  | { kind: 'dev_loopback' }
  | { kind: 'signed_in' }
  | { kind: 'roles'; roles: readonly Role[]; scopes: readonly TokenScope[] };

const PUBLIC: AccessRule = { kind: 'public' };
const PUBLIC_LIMITED: AccessRule = { kind: 'public', isRateLimited: true };
const HOOK: AccessRule = { kind: 'hook' };
const DEV: AccessRule = { kind: 'dev_loopback' };
const SIGNED_IN: AccessRule = { kind: 'signed_in' };

/** A rule for these roles; admin may do everything, so it is always among them. */
function roles(...allowed: Role[]): AccessRule {
  return { kind: 'roles', roles: ['admin', ...allowed], scopes: [] };
}

const ANY_ROLE = roles('designer', 'publisher', 'operator', 'auditor', 'viewer');
const DESIGN = roles('designer');
const PUBLISH = roles('publisher');
const RUNS = roles('operator');
const AUDIT = roles('auditor');
// Patient contact data and consent are kept by operations staff and read by auditors.
const PATIENT_WRITE = roles('operator');
const PATIENT_READ = roles('operator', 'auditor');
const ADMIN = roles();

/**
 * The route × role table: every route the server answers, by `METHOD /path` exactly as the
 * route declares it. A route missing here is refused to everyone (and a test fails), so adding
 * a route is adding one line here. The README's access table is generated from this object.
 */
export const ROUTE_ACCESS: Readonly<Record<string, AccessRule>> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  // Webhooks and the events API authenticate EHR sources themselves.
  'POST /api/hooks/fhir': HOOK,
  'POST /api/hooks/hl7': HOOK,
  'POST /api/hooks/bounces': HOOK,
  'POST /api/events': HOOK,
  'GET /api/dev/outbox': DEV,
  // TODO: the codec returns PHI in clear; it stays development-and-loopback only until the
  // Temporal UI can send a Pathwell credential (its codec "pass access token" option).
  'POST /api/codec/decode': DEV,
  'POST /api/codec/encode': DEV,
  'OPTIONS /api/codec/decode': DEV,
  'OPTIONS /api/codec/encode': DEV,
  // Patients' links: the opaque token in the path is the credential.
  'GET /u/:token': PUBLIC_LIMITED,
  'POST /u/:token': PUBLIC_LIMITED,
  'GET /m/:token': PUBLIC_LIMITED,
  'POST /m/:token/code': PUBLIC_LIMITED,
  'POST /m/:token/open': PUBLIC_LIMITED,
  'GET /v/:token': PUBLIC_LIMITED,
  'POST /v/:token': PUBLIC_LIMITED,
  // Accounts and sessions.
  'POST /api/auth/sign-in': PUBLIC,
  'GET /setup/:token': PUBLIC_LIMITED,
  'POST /setup/:token': PUBLIC_LIMITED,
  'GET /api/auth/session': SIGNED_IN,
  'POST /api/auth/sign-out': SIGNED_IN,
  'POST /api/auth/sign-out-everywhere': SIGNED_IN,
  'POST /api/auth/mfa/totp': SIGNED_IN,
  'POST /api/auth/mfa/totp/confirm': SIGNED_IN,
  'POST /api/auth/mfa/totp/disable': SIGNED_IN,
  'POST /api/auth/passkeys/options': SIGNED_IN,
  'POST /api/auth/passkeys': SIGNED_IN,
  'POST /api/auth/passkey/options': PUBLIC_LIMITED,
  'POST /api/auth/passkey/sign-in': PUBLIC_LIMITED,
  'POST /api/auth/break-glass': ANY_ROLE,
  'POST /api/auth/break-glass/end': ANY_ROLE,
  'GET /api/break-glass': AUDIT,
  'GET /api/users': ADMIN,
  'POST /api/users': ADMIN,
  'PUT /api/users/:id/roles': ADMIN,
  'DELETE /api/users/:id': ADMIN,
  'GET /api/tokens': ADMIN,
  'POST /api/tokens': ADMIN,
  'DELETE /api/tokens/:id': ADMIN,
  // Patients: contact points, consent, authorizations, suppressions, PGP keys.
  'POST /api/patients/:patientId/contact-points': PATIENT_WRITE,
  'POST /api/patients/:patientId/preferences': PATIENT_WRITE,
  'POST /api/patients/:patientId/confidential-requests': PATIENT_WRITE,
  'POST /api/patients/:patientId/restrictions': PATIENT_WRITE,
  'POST /api/patients/:patientId/opt-outs': PATIENT_WRITE,
  'GET /api/patients/:patientId/consent': PATIENT_READ,
  'POST /api/authorizations': PATIENT_WRITE,
  'POST /api/authorizations/:id/versions': PATIENT_WRITE,
  'POST /api/authorizations/:id/revocation': PATIENT_WRITE,
  'GET /api/patients/:patientId/authorizations': PATIENT_READ,
  'DELETE /api/authorizations/:id': PATIENT_WRITE,
  'POST /api/suppressions': PATIENT_WRITE,
  'GET /api/suppressions': PATIENT_READ,
  'POST /api/imports/contacts': PATIENT_WRITE,
  'POST /api/patients/:patientId/pgp-keys': PATIENT_WRITE,
  'GET /api/patients/:patientId/pgp-keys': PATIENT_READ,
  // The audit trail and delivery evidence.
  'GET /api/audit': AUDIT,
  'GET /api/audit/export': AUDIT,
  'GET /api/messages/:messageId/evidence': AUDIT,
  'GET /api/audit/verify': AUDIT,
  'GET /api/audit/checkpoints/latest': AUDIT,
  // Journeys: everyone reads, designers edit drafts, publishers publish, operators run.
  'GET /api/journeys/schema': ANY_ROLE,
  'POST /api/journeys/validate': DESIGN,
  'GET /api/catalogue/event-types': ANY_ROLE,
  'GET /api/catalogue/variables': ANY_ROLE,
  'GET /api/journeys/:id/export': ANY_ROLE,
  'POST /api/journeys/import': DESIGN,
  'POST /api/journeys': DESIGN,
  'GET /api/journeys': ANY_ROLE,
  'GET /api/journeys/:id': ANY_ROLE,
  'PUT /api/journeys/:id': DESIGN,
  'POST /api/journeys/:id/publish': PUBLISH,
  'POST /api/journeys/:id/unpublish': PUBLISH,
  'GET /api/journeys/:id/versions': ANY_ROLE,
  'GET /api/journeys/:id/versions/:version': ANY_ROLE,
  'POST /api/journeys/:id/simulate': roles('designer', 'publisher'),
  // Synthetic fixture appointments for the simulator: whoever may simulate may list them.
  'GET /api/simulator/samples': roles('designer', 'publisher'),
  'POST /api/journeys/:id/runs': RUNS,
  'POST /api/templates/lint': DESIGN,
  // Runs are one patient each: operators act on them, auditors read them; viewers get reports.
  'GET /api/runs': roles('operator', 'auditor'),
  'GET /api/runs/:id': roles('operator', 'auditor'),
  'POST /api/runs/:id/cancel': RUNS,
  'POST /api/runs/:id/replay': RUNS,
  'POST /api/runs/replay': RUNS,
  'GET /api/runs/replay/:jobId': RUNS,
  'GET /api/reports/versions/:versionId': ANY_ROLE,
  'GET /api/reports/domains': ANY_ROLE,
  // Scraped by Prometheus with a token scoped to it.
  'GET /metrics': { kind: 'roles', roles: ['admin'], scopes: ['metrics'] },
};

/** The key of a route in {@link ROUTE_ACCESS}. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
