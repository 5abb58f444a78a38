import type { PostureRecord, PostureRefusal } from '../../engine/protection/recipient-posture.js';
import type { TransportPosture } from '../../engine/protection/protection-inputs.js';

/** What Pathwell knows of a recipient domain's transport, and where it learned it. */
export interface PostureReading {
  transport: TransportPosture;
  /**
   * `relay_enforced`: the configured relay delivers only over TLS (AC-ARCH-4). `probe`: probed
   * just now; `cache`: the capability record of an earlier probe or delivery. `configured`:
   * given by the caller (tests).
   */
  source: 'relay_enforced' | 'probe' | 'cache' | 'configured';
  /** RFC 8460 result type of a failure, when the reading records one. */
  resultType?: string;
  /** The capability record (AC-ENC-2), when the posture came from a probe. */
  record?: PostureRecord;
  /** MTA-STS enforce with no usable MX: the domain takes no delivery from Pathwell. */
  refusal?: PostureRefusal | undefined;
}

/** Reads a recipient domain's posture at send time (each attempt, AC-DEC-13). */
export type PostureSource = (domain: string) => Promise<PostureReading>;

/**
 * The posture in relay mode without probing: the relay is covered by a BAA and enforces TLS to
 * every recipient (start-up refuses a production relay that is not configured so), so a message
 * it accepts either reaches the recipient over TLS or is not delivered at all. A relay that
 * refuses a recipient is seen as an SMTP rejection (5.7.x re-routes through the portal).
 * `PATHWELL_RECIPIENT_PROBE=true` makes relay mode probe recipient domains instead.
 */
export function relayPosture(): PostureSource {
  return async () => ({ transport: 'pkix_tls_ok', source: 'relay_enforced' });
}
