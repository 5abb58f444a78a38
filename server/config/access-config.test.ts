import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig access settings', () => {
  it('has a 15-minute idle timeout, a 12-hour lifetime and passkey-only admin by default', () => {
    const { access } = loadConfig({});

    expect(access).toEqual({
      adminEmail: undefined,
      adminPassword: undefined,
      bootstrapToken: undefined,
      sessionIdleMinutes: 15,
      sessionMaxHours: 12,
      signInRateLimit: 5,
      publicRateLimit: 10,
      passkeyRoles: ['admin'],
    });
  });

  it('reads passkey roles as a list, empty for none', () => {
    expect(loadConfig({ PATHWELL_PASSKEY_ROLES: 'admin, publisher' }).access.passkeyRoles).toEqual([
      'admin',
      'publisher',
    ]);
    expect(loadConfig({ PATHWELL_PASSKEY_ROLES: '' }).access.passkeyRoles).toEqual([]);
  });

  it.each([
    ['PATHWELL_PASSKEY_ROLES', 'root'],
    ['PATHWELL_BOOTSTRAP_TOKEN', 'too-short'],
    ['PATHWELL_ADMIN_PASSWORD', 'short'],
    ['PATHWELL_SESSION_IDLE_MINUTES', '0'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(variable);
  });
});
