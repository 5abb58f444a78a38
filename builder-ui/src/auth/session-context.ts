import { createContext, useContext } from 'react';
import type { Session } from '../api/auth.js';
import { type Ability, can } from './permissions.js';

// Outside a provider (component tests) every control shows: the server is the real gate.
const SessionContext = createContext<Session>({ roles: ['admin'] });

/** Provides the signed-in session to the builder's screens. */
export const SessionProvider = SessionContext.Provider;

/** Whether the signed-in user may use controls of this kind (hides, never guards). */
export function useCan(ability: Ability): boolean {
  return can(useContext(SessionContext).roles, ability);
}
