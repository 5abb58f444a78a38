import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig access settings', () => {
  it('has a 15-minute idle timeout, a 12-hour lifetime and no passkey roles in development', () => {
    const { access } = loadConfig({});

    expect(access).toEqual({
      adminEmail: undefined,
      adminPassword: undefined,
      bootstrapToken: undefined,
      sessionIdleMinutes: 15,
      sessionMaxHours: 12,
      signInRateLimit: 5,
      publicRateLimit: 10,
      passkeyRoles: [],
    });
  });

  it('lets admin count only in passkey sessions in production by default', () => {
    const config = loadConfig({
      PATHWELL_MODE: 'production',
      PATHWELL_PUBLIC_URL: 'https://pathwell.example.org',
      DATABASE_URL: 'postgres://db/pathwell',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://relay.example.org:587',
      PATHWELL_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      PATHWELL_RELAY_BAA: 'true',
      PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
    });

    expect(config.access.passkeyRoles).toEqual(['admin']);
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
