import type { Config } from '../config/config.js';

/**
 * The WebAuthn relying party: Pathwell's public origin and its host name as the RP ID. A
 * passkey only ever signs for this origin, which is what makes it phishing resistant.
 */
export function relyingPartyOf(config: Pick<Config, 'publicUrl' | 'orgName'>): {
  id: string;
  origin: string;
  name: string;
} {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, origin: url.origin, name: `Pathwell (${config.orgName})` };
}
