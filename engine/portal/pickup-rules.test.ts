import { describe, expect, it } from 'vitest';
import { pickupGate } from './pickup-rules.js';

const NOW = '2026-06-15T12:00:00Z';
const OPEN = {
  expiresAt: '2026-07-15T12:00:00Z',
  lockedAt: null,
  otpExpiresAt: '2026-06-15T12:05:00Z',
  hasCode: true,
};

describe('pickupGate', () => {
  it('AC-PRT-3 refuses an expired message before anything else', () => {
    expect(pickupGate({ ...OPEN, expiresAt: NOW, lockedAt: NOW }, NOW)).toBe('expired');
  });

  it('AC-PRT-2 refuses a locked message and a code past its expiry', () => {
    expect(pickupGate({ ...OPEN, lockedAt: '2026-06-15T11:00:00Z' }, NOW)).toBe('locked');
    expect(pickupGate({ ...OPEN, otpExpiresAt: '2026-06-15T11:59:59Z' }, NOW)).toBe('code_expired');
    expect(pickupGate({ ...OPEN, hasCode: false }, NOW)).toBe('no_code');
    expect(pickupGate(OPEN, NOW)).toBe('open');
  });
});
