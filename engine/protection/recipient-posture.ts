import { type MtaStsMode, type MtaStsPolicy, mxMatchesPolicy } from './mta-sts.js';
import type { TransportPosture } from './protection-inputs.js';

/** What one probe of one MX found (a session that said EHLO, tried STARTTLS and quit). */
export interface MxProbe {
  mxHost: string;
  /** Whether the MX answered at all; an unreachable one says nothing about TLS. */
  isReachable: boolean;
  starttls: boolean;
  tlsVersion: string | null;
  /** A chain to a trusted root, unexpired, and a name matching the MX host. */
  certValid: boolean;
  /** The RFC 8460 result type of the failure, when there was one. */
  certError: string | null;
}

/** The domain's MTA-STS state as the sender knows it: a usable policy, or why there is none. */
export interface StsState {
  policy?: MtaStsPolicy | undefined;
  /** RFC 8460 result type of a failed fetch or parse (`sts-webpki-invalid`, …). */
  failure?: string | undefined;
  /** Whether the policy in use came from the cache after a failed fetch (AC-STS-3). */
  isFromCache?: boolean;
}

/**
 * Why a domain refuses delivery altogether: MTA-STS `enforce` with no MX that matches a pattern
 * and presents a valid certificate (RFC 8461 §5: do not deliver to that MX).
 */
export interface PostureRefusal {
  reason: 'mta_sts_mx_mismatch' | 'mta_sts_tls_failed';
  resultType: string;
}

/**
 * The capability record of a recipient domain (COMPLIANCE.md AC-ENC-2), kept in the posture
 * cache until `expiresAt`. `dane` is always `not_checked`: DANE needs a DNSSEC-validating
 * resolver, which Pathwell does not have.
 */
export interface PostureRecord {
  domain: string;
  transport: TransportPosture;
  mxHost: string | null;
  starttls: boolean;
  tlsVersion: string | null;
  certValid: boolean;
  certError: string | null;
  mtaStsMode: MtaStsMode | null;
  dane: 'not_checked';
  /** RFC 8460 result type when the posture is not verified TLS (AC-RPT-1). */
  resultType: string | null;
  refusal: PostureRefusal | null;
  checkedAt: string;
  expiresAt: string;
}

/** How long a capability record is kept unless an MTA-STS max_age is shorter. */
export const POSTURE_TTL_SECONDS = 24 * 3600;
/** How long a record of an unreachable or unknown domain is kept (retried sooner). */
export const UNKNOWN_POSTURE_TTL_SECONDS = 15 * 60;

/**
 * Decides a domain's transport posture from what the MX probes and the MTA-STS lookup found.
 *
 * `enforce`: only MXes that match a pattern count, and one with verified TLS gives
 * `sts_enforce_ok`; none matching, or none verified, refuses delivery. `testing` and `none`
 * policies never make TLS "verified" by themselves (AC-STS-2): a certificate must still pass
 * PKIX, and a testing policy whose MX fails it is `tls_unverified`. Without a policy the first
 * reachable MX with verified TLS gives `pkix_tls_ok`.
 *
 * @param probes - in MX preference order
 */
export function postureOf(
  domain: string,
  probes: readonly MxProbe[],
  sts: StsState,
  checkedAt: string,
): PostureRecord {
  const policy = sts.policy;
  const isEnforced = policy?.mode === 'enforce';
  const eligible =
    isEnforced && policy !== undefined
      ? probes.filter((probe) => mxMatchesPolicy(probe.mxHost, policy))
      : probes;
  const reachable = eligible.filter((probe) => probe.isReachable);
  const verified = reachable.find((probe) => probe.starttls && probe.certValid);
  const best = verified ?? reachable.find((probe) => probe.starttls) ?? reachable[0];

  let transport: TransportPosture;
  let refusal: PostureRefusal | null = null;
  if (isEnforced && eligible.length === 0) {
    transport = 'tls_unverified';
    refusal = { reason: 'mta_sts_mx_mismatch', resultType: 'validation-failure' };
  } else if (verified !== undefined) {
    transport = isEnforced ? 'sts_enforce_ok' : 'pkix_tls_ok';
  } else if (best === undefined) {
    transport = 'unknown';
  } else {
    transport = best.starttls ? 'tls_unverified' : 'no_tls';
    if (isEnforced) {
      refusal = {
        reason: 'mta_sts_tls_failed',
        resultType: best.certError ?? 'starttls-not-supported',
      };
    }
  }

  const ttl = transport === 'unknown' ? UNKNOWN_POSTURE_TTL_SECONDS : POSTURE_TTL_SECONDS;
  const seconds = Math.min(ttl, policy?.maxAge ?? ttl);
  return {
    domain,
    transport,
    mxHost: best?.mxHost ?? null,
    starttls: best?.starttls ?? false,
    tlsVersion: best?.tlsVersion ?? null,
    certValid: best?.certValid ?? false,
    certError: best?.certError ?? null,
    mtaStsMode: policy?.mode ?? null,
    dane: 'not_checked',
    resultType: resultTypeOf(transport, best, refusal, sts),
    refusal,
    checkedAt,
    expiresAt: new Date(Date.parse(checkedAt) + seconds * 1000).toISOString(),
  };
}

function resultTypeOf(
  transport: TransportPosture,
  best: MxProbe | undefined,
  refusal: PostureRefusal | null,
  sts: StsState,
): string | null {
  if (refusal !== null) {
    return refusal.resultType;
  }
  if (transport === 'no_tls') {
    return 'starttls-not-supported';
  }
  if (transport === 'tls_unverified') {
    return best?.certError ?? 'certificate-not-trusted';
  }
  return sts.failure ?? null;
}
