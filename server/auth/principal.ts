import type { AuditEntry } from '../db/audit.store.js';
import type { Role, TokenScope } from './roles.js';

/** Who is calling: a signed-in user (through a session) or an API token. */
export type Principal =
  | { type: 'user'; userId: string; roles: Role[]; sessionId: string }
  | { type: 'token'; tokenId: string; scopes: TokenScope[] };

/** The audit trail's actor for a principal: users by id, tokens as integrations. */
export function actorOf(principal: Principal): Pick<AuditEntry, 'actorId' | 'actorType'> {
  return principal.type === 'user'
    ? { actorId: `user:${principal.userId}`, actorType: 'user' }
    : { actorId: `token:${principal.tokenId}`, actorType: 'integration' };
}
