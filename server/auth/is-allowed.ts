import type { Principal } from './principal.js';
import type { AccessRule } from './route-access.js';
import { isRole } from './roles.js';

type RolesRule = Extract<AccessRule, { kind: 'roles' }>;

/**
 * Whether a principal may call a route with a `roles` rule. A user needs one of the rule's
 * roles. A token needs one of them as a scope, or a scope the rule names, or `read_only` on a
 * GET route a viewer or auditor may call.
 */
export function isAllowed(rule: RolesRule, principal: Principal, method: string): boolean {
  if (principal.type === 'user') {
    return principal.roles.some((role) => rule.roles.includes(role));
  }
  return principal.scopes.some((scope) => {
    if (isRole(scope)) {
      return rule.roles.includes(scope);
    }
    if (scope === 'read_only') {
      return (
        method.toUpperCase() === 'GET' &&
        (rule.roles.includes('viewer') || rule.roles.includes('auditor'))
      );
    }
    return rule.scopes.includes(scope);
  });
}
