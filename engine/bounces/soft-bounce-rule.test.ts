import { describe, expect, it } from 'vitest';
import { type AddressBounce, softBounceSuppression } from './soft-bounce-rule.js';

const soft = (messageId: string, at: string): AddressBounce => ({ messageId, kind: 'soft', at });

describe('softBounceSuppression (AC-BNC-2)', () => {
  it('suppresses for 7 days after three messages soft-bounced over 72 hours', () => {
    const history = [
      soft('<m3>', '2026-03-04T10:00:00Z'),
      soft('<m2>', '2026-03-02T10:00:00Z'),
      soft('<m1>', '2026-03-01T10:00:00Z'),
    ];

    expect(softBounceSuppression(history)).toEqual({
      until: '2026-03-11T10:00:00.000Z',
      messages: 3,
    });
  });

  it('does not suppress when the three messages span less than 72 hours', () => {
    const history = [
      soft('<m3>', '2026-03-03T09:00:00Z'),
      soft('<m2>', '2026-03-02T10:00:00Z'),
      soft('<m1>', '2026-03-01T10:00:00Z'),
    ];

    expect(softBounceSuppression(history)).toBeUndefined();
  });

  it('counts repeated reports about one message once', () => {
    const history = [
      soft('<m1>', '2026-03-05T10:00:00Z'),
      soft('<m1>', '2026-03-03T10:00:00Z'),
      soft('<m2>', '2026-03-01T10:00:00Z'),
    ];

    expect(softBounceSuppression(history)).toBeUndefined();
  });

  it('starts again after a delivery', () => {
    const history: AddressBounce[] = [
      soft('<m4>', '2026-03-06T10:00:00Z'),
      soft('<m3>', '2026-03-05T10:00:00Z'),
      { messageId: '<m2>', kind: 'delivered', at: '2026-03-03T10:00:00Z' },
      soft('<m1>', '2026-03-01T10:00:00Z'),
    ];

    expect(softBounceSuppression(history)).toBeUndefined();
  });
});
