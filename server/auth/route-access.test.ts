import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { routesOf } from '../http/app.js';
import type { ServerDeps } from '../server-deps.js';
import { accessTableMarkdown } from './access-table.js';
import { isAllowed } from './is-allowed.js';
import { type AccessRule, ROUTE_ACCESS, routeKey } from './route-access.js';

// routesOf only builds the route objects; nothing here touches a database or Temporal.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-routes-'));
const routes = routesOf({ config: loadConfig({ PATHWELL_DATA_DIR: dataDir }) } as ServerDeps);
const served = [
  ...routes.map((route) => routeKey(route.method, route.path)),
  'GET /api/openapi.json',
];
const README = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the route × role table', () => {
  it('lists every route the server answers', () => {
    const unlisted = served.filter((key) => ROUTE_ACCESS[key] === undefined);

    expect(unlisted, 'add these routes to server/auth/route-access.ts').toEqual([]);
  });

  it('lists no route the server does not answer', () => {
    const stale = Object.keys(ROUTE_ACCESS).filter((key) => !served.includes(key));

    expect(stale).toEqual([]);
  });

  it("agrees with each route's declared access", () => {
    const declared = {
      public: 'public',
      hook: 'integration',
      dev_loopback: 'dev_loopback',
      signed_in: 'api',
    };
    for (const route of routes) {
      const rule = ROUTE_ACCESS[routeKey(route.method, route.path)] as AccessRule;
      const expected = rule.kind === 'roles' ? 'api' : declared[rule.kind];
      expect(`${routeKey(route.method, route.path)} ${route.access}`).toBe(
        `${routeKey(route.method, route.path)} ${expected}`,
      );
    }
  });

  it('lets admin call every route that needs a role', () => {
    const rules = Object.values(ROUTE_ACCESS).filter((rule) => rule.kind === 'roles');

    expect(rules.length).toBeGreaterThan(40);
    for (const rule of rules) {
      expect(rule.roles).toContain('admin');
    }
  });

  it('is printed in the README exactly as generated', () => {
    expect(README, 'paste accessTableMarkdown() into the README').toContain(accessTableMarkdown());
  });
});

describe('isAllowed', () => {
  const publish = ROUTE_ACCESS['POST /api/journeys/:id/publish'] as Extract<
    AccessRule,
    { kind: 'roles' }
  >;
  const audit = ROUTE_ACCESS['GET /api/audit'] as Extract<AccessRule, { kind: 'roles' }>;
  const user = (roles: ('publisher' | 'designer' | 'viewer')[]) =>
    ({ type: 'user', userId: 'u', roles, sessionId: 's' }) as const;
  const token = (scopes: ('read_only' | 'metrics' | 'publisher')[]) =>
    ({ type: 'token', tokenId: 't', scopes }) as const;

  it('allows a user with one of the roles and refuses one without', () => {
    expect(isAllowed(publish, user(['viewer', 'publisher']), 'POST')).toBe(true);
    expect(isAllowed(publish, user(['designer']), 'POST')).toBe(false);
  });

  it('allows a read-only token on GET routes auditors or viewers read, and nothing else', () => {
    expect(isAllowed(audit, token(['read_only']), 'GET')).toBe(true);
    expect(isAllowed(publish, token(['read_only']), 'POST')).toBe(false);
  });

  it('gives a metrics token nothing but routes that name the metrics scope', () => {
    expect(isAllowed(audit, token(['metrics']), 'GET')).toBe(false);
    expect(isAllowed({ ...audit, scopes: ['metrics'] }, token(['metrics']), 'GET')).toBe(true);
  });

  it('treats role scopes of a token as roles', () => {
    expect(isAllowed(publish, token(['publisher']), 'POST')).toBe(true);
  });
});
