import type { TransportPosture } from '../../engine/protection/protection-inputs.js';
import type { Queryable } from '../../server/db/pool.js';
import { findPosture, savePosture } from '../../server/db/postures.store.js';

/** How long what a delivery observed stands in for a probe before the domain is probed again. */
export const OBSERVED_POSTURE_TTL_SECONDS = 3600;

/**
 * Replaces a domain's cached posture with what a delivery just met (no STARTTLS, or a
 * certificate that failed), so the next send decides on the truth rather than on the probe
 * that promised verified TLS.
 *
 * @returns the observed transport posture
 */
export async function recordObservedPosture(
  db: Queryable,
  domain: string,
  failure: { reason: string; resultType: string; mxHost?: string | undefined },
): Promise<TransportPosture> {
  const transport: TransportPosture =
    failure.reason === 'tls_required_not_supported' ? 'no_tls' : 'tls_unverified';
  const previous = await findPosture(db, domain);
  const now = new Date();
  await savePosture(db, {
    domain,
    transport,
    mxHost: failure.mxHost ?? previous?.mxHost ?? null,
    starttls: transport !== 'no_tls',
    tlsVersion: null,
    certValid: false,
    certError: transport === 'no_tls' ? null : failure.resultType,
    mtaStsMode: previous?.mtaStsMode ?? null,
    dane: 'not_checked',
    resultType: failure.resultType,
    refusal: null,
    checkedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + OBSERVED_POSTURE_TTL_SECONDS * 1000).toISOString(),
  });
  return transport;
}
