import { describe, expect, it } from 'vitest';
import { classifyBounce } from './classify-status.js';

describe('classifyBounce (RFC 3463)', () => {
  it('AC-BNC-1 treats 5.1.x as a hard bounce', () => {
    expect(classifyBounce('5.1.1', 550)).toBe('hard_bounce');
    expect(classifyBounce('5.1.10', 550)).toBe('hard_bounce');
    expect(classifyBounce(undefined, 550)).toBe('hard_bounce');
  });

  it('AC-BNC-2 treats 4.x.x as transient', () => {
    expect(classifyBounce('4.2.2', 452)).toBe('transient');
    expect(classifyBounce(undefined, 421)).toBe('transient');
  });

  it('AC-BNC-3 treats 5.7.x TLS and policy refusals as policy, never a hard bounce', () => {
    expect(classifyBounce('5.7.10', 530)).toBe('policy');
    expect(classifyBounce('5.7.515', 550)).toBe('policy');
    expect(classifyBounce(undefined, 554)).toBe('policy');
  });

  it('treats other permanent failures as permanent', () => {
    expect(classifyBounce('5.3.4', 552)).toBe('permanent');
  });
});
