import type { HopRequirement } from '../../engine/protection/decide-protection.js';
import { type DeliveryResult, deliver, type SmtpPeer } from './smtp-delivery.js';

/** How Pathwell reaches recipients: through the organisation's relay, or straight to each MX. */
export type DeliveryMode = 'relay' | 'direct';

/** One message to deliver, and what the hop must offer. */
export interface OutboundMessage {
  from: string;
  to: string;
  raw: Buffer;
  /** RFC 3461 ENVID for bounce correlation; opaque, never PHI. */
  envelopeId?: string | undefined;
  /** From the protection decision: `verified` TLS, or `opportunistic` for what may go so. */
  hop: HopRequirement;
  /** Called between the peer's 354 and the first byte of the message. */
  beforeTransmit: () => Promise<void>;
}

/** How a delivery ended, and which MX took part in direct mode. */
export type TransportResult = DeliveryResult & { mxHost?: string };

/** Delivers messages in one of the two modes; the send activity does not know which. */
export interface MailTransport {
  mode: DeliveryMode;
  send: (message: OutboundMessage) => Promise<TransportResult>;
}

/**
 * Relay mode: every message goes to the configured relay over verified TLS, whatever the hop
 * asks, because the relay (under a BAA, enforcing TLS to recipients, AC-ARCH-4) makes the hop
 * to the recipient.
 */
export function relayTransport(peer: SmtpPeer): MailTransport {
  return {
    mode: 'relay',
    send: (message) =>
      deliver(peer, {
        from: message.from,
        to: message.to,
        raw: message.raw,
        envelopeId: message.envelopeId,
        beforeTransmit: message.beforeTransmit,
      }),
  };
}
