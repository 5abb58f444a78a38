/**
 * The roles a user holds (ARCHITECTURE.md, issue 8). `admin` manages users, settings and keys
 * and may also do everything the other roles may; the others are deliberately narrow.
 */
export const ROLES = ['admin', 'designer', 'publisher', 'operator', 'auditor', 'viewer'] as const;

/** One role. */
export type Role = (typeof ROLES)[number];

/**
 * What an API token may do: act with one or more roles, only read (`read_only`: the GET
 * routes a viewer or an auditor may call), or only scrape metrics (`metrics`).
 */
export const TOKEN_SCOPES = [...ROLES, 'read_only', 'metrics'] as const;

/** One API token scope. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Whether a string names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether a string names a token scope. */
export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}
