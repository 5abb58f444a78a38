import express from 'express';
import { ROUTE_ACCESS } from '../../server/auth/route-access.js';

// Hooks authenticate EHR sources with their own bearer tokens and signatures: an API token
// there would be read as an unknown source's.
const HOOK_PATHS = new Set(
  Object.entries(ROUTE_ACCESS)
    .filter(([, rule]) => rule.kind === 'hook')
    .map(([key]) => key.slice(key.indexOf(' ') + 1)),
);

/**
 * A test-side app in front of the real one that adds `Authorization: Bearer <token>` to every
 * request carrying no credentials of its own (no Authorization header, no cookie), except to
 * the hooks. The suites written before accounts existed call the API this way unchanged; the
 * access-control suites call the real app (`harness.rawApp`) instead. Nothing of this is in
 * the server: it only ever sees a real API token.
 */
export function withCredentials(app: express.Express, token: string): express.Express {
  const wrapper = express();
  wrapper.disable('x-powered-by');
  wrapper.use((req, res) => {
    const isBare = req.headers.authorization === undefined && req.headers.cookie === undefined;
    if (isBare && !HOOK_PATHS.has(req.path)) {
      req.headers.authorization = `Bearer ${token}`;
    }
    app(req, res);
  });
  return wrapper;
}
