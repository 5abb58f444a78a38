import type { TransportPosture } from '../../engine/protection/protection-inputs.js';

/** What Pathwell knows of a recipient domain's transport, and where it learned it. */
export interface PostureReading {
  transport: TransportPosture;
  /** `relay_enforced`: the configured relay delivers only over TLS (AC-ARCH-4). */
  source: 'relay_enforced' | 'configured';
  /** RFC 8460 result type of a failure, when the reading records one. */
  resultType?: string;
}

/** Reads a recipient domain's posture at send time (each attempt, AC-DEC-13). */
export type PostureSource = (domain: string) => Promise<PostureReading>;

/**
 * The posture in relay mode: the relay is covered by a BAA and enforces TLS to every
 * recipient (start-up refuses a production relay that is not configured so), so a message it
 * accepts either reaches the recipient over TLS or is not delivered at all.
 *
 * TODO: the recipient-domain posture probe (MX lookup, STARTTLS and certificate check of each
 * MX, MTA-STS policy fetch, cached with expiry, RFC 8460 result types) and direct delivery to
 * the recipient MX are not built. Until they are, every recipient domain reads as verified TLS
 * through the relay, so the portal fallback of rows 8 and 9 is reached only through a posture
 * source given by the caller (tests) and a relay that refuses a recipient is seen as an SMTP
 * rejection, not as a posture.
 */
export function relayPosture(): PostureSource {
  return async () => ({ transport: 'pkix_tls_ok', source: 'relay_enforced' });
}
