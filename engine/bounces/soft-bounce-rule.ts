/** One bounce or delivery Pathwell recorded for an address, newest first when listed. */
export interface AddressBounce {
  messageId: string | null;
  kind: 'soft' | 'hard' | 'policy' | 'permanent' | 'delivered';
  at: string;
}

/** COMPLIANCE.md AC-BNC-2's policy: how many soft-bounced messages, over how long, suppress. */
export interface SoftBouncePolicy {
  messages: number;
  windowHours: number;
  suppressDays: number;
}

/** The default: three messages soft-bounced over at least 72 hours suppress for 7 days. */
export const DEFAULT_SOFT_BOUNCE_POLICY: SoftBouncePolicy = {
  messages: 3,
  windowHours: 72,
  suppressDays: 7,
};

/**
 * Whether an address has soft-bounced enough to be suppressed for a while (AC-BNC-2): at least
 * `messages` different messages soft-bounced in a row (no delivery or other outcome between
 * them), the oldest of them at least `windowHours` before the newest. Repeated reports about
 * one message count once, so a mailbox that is full for an afternoon is not suppressed.
 *
 * @param history - the address's recorded outcomes, newest first
 * @returns until when to suppress, or `undefined`
 */
export function softBounceSuppression(
  history: readonly AddressBounce[],
  policy: SoftBouncePolicy = DEFAULT_SOFT_BOUNCE_POLICY,
): { until: string; messages: number } | undefined {
  const streak: AddressBounce[] = [];
  for (const entry of history) {
    if (entry.kind !== 'soft') {
      break;
    }
    streak.push(entry);
  }
  const messages = new Set(streak.map((entry, index) => entry.messageId ?? `#${index}`));
  const newest = streak[0];
  const oldest = streak[streak.length - 1];
  if (newest === undefined || oldest === undefined || messages.size < policy.messages) {
    return undefined;
  }
  const span = Date.parse(newest.at) - Date.parse(oldest.at);
  if (span < policy.windowHours * 3_600_000) {
    return undefined;
  }
  const until = new Date(Date.parse(newest.at) + policy.suppressDays * 86_400_000);
  return { until: until.toISOString(), messages: messages.size };
}
