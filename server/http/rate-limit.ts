/**
 * A token bucket per key (a source's name): `rate` requests a second on average, with bursts of
 * up to twice that. In memory, per server process: with several servers behind a balancer each
 * enforces its share, which is what protects each process.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one request's token for `key`; `false` when the bucket is empty. */
  take(key: string, rate: number, now = Date.now()): boolean {
    const capacity = rate * 2;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const refilled = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return false;
    }
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    return true;
  }
}
