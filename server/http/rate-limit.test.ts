import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst of twice the rate, then the rate', () => {
    const limiter = new RateLimiter();
    const taken = Array.from({ length: 6 }, () => limiter.take('a', 2, 1_000));

    expect(taken).toEqual([true, true, true, true, false, false]);
    expect(limiter.take('a', 2, 1_500)).toBe(true);
    expect(limiter.take('a', 2, 1_500)).toBe(false);
  });

  it('keeps one bucket per source', () => {
    const limiter = new RateLimiter();
    limiter.take('a', 1, 0);
    limiter.take('a', 1, 0);

    expect(limiter.take('a', 1, 0)).toBe(false);
    expect(limiter.take('b', 1, 0)).toBe(true);
  });
});
