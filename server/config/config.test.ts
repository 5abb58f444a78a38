import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { parseSmtpUrl } from './smtp-url.js';

const PRODUCTION = {
  PATHWELL_MODE: 'production',
  PATHWELL_PUBLIC_URL: 'https://pathwell.example.org',
  DATABASE_URL: 'postgres://db/pathwell',
  TEMPORAL_ADDRESS: 'temporal:7233',
  SMTP_URL: 'smtp://relay.example.org:587',
  PATHWELL_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  PATHWELL_RELAY_BAA: 'true',
  PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
};

describe('loadConfig', () => {
  it('defaults to development with embedded services and the documented defaults', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      mode: 'development',
      port: 8080,
      publicUrl: 'http://localhost:8080',
      databaseUrl: undefined,
      temporalAddress: undefined,
      smtp: undefined,
      temporalNamespace: 'default',
      taskQueue: 'pathwell',
      orgTimeZone: 'America/New_York',
    });
  });

  it('accepts a complete, secure production configuration', () => {
    expect(loadConfig(PRODUCTION).mode).toBe('production');
  });

  it('refuses production without its services, naming each missing variable', () => {
    expect(() =>
      loadConfig({ PATHWELL_MODE: 'production', PATHWELL_PUBLIC_URL: 'https://x.org' }),
    ).toThrow(/DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL, PATHWELL_MASTER_KEY/);
  });

  it('refuses a relay not covered by a BAA or not enforcing TLS to recipients (AC-ARCH-4)', () => {
    expect(() => loadConfig({ ...PRODUCTION, PATHWELL_RELAY_BAA: 'false' })).toThrow(
      expect.objectContaining({ code: 'insecure_transport_config' }),
    );
  });

  it('refuses an http public URL in production', () => {
    expect(() =>
      loadConfig({ ...PRODUCTION, PATHWELL_PUBLIC_URL: 'http://pathwell.example.org' }),
    ).toThrow(expect.objectContaining({ code: 'insecure_transport_config' }));
  });

  it('refuses SMTP options that could weaken TLS, in any mode', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://relay:25?tls.rejectUnauthorized=false' })).toThrow(
      expect.objectContaining({ code: 'insecure_transport_config' }),
    );
    expect(() =>
      loadConfig({ ...PRODUCTION, SMTP_URL: 'smtp://relay:587?ignoreTLS=true' }),
    ).toThrow(expect.objectContaining({ code: 'insecure_transport_config' }));
  });

  it('refuses a zone that is not an IANA zone and an unknown mode, with every problem listed', () => {
    expect(() =>
      loadConfig({ PATHWELL_ORG_TIMEZONE: 'EST5EDT-ish', PATHWELL_MODE: 'staging' }),
    ).toThrow(/PATHWELL_MODE.*PATHWELL_ORG_TIMEZONE|PATHWELL_ORG_TIMEZONE.*PATHWELL_MODE/);
  });

  it('reads a sender with and without a display name', () => {
    expect(loadConfig({ PATHWELL_FROM: 'Clinic <care@clinic.org>' }).from).toEqual({
      name: 'Clinic',
      address: 'care@clinic.org',
    });
    expect(loadConfig({ PATHWELL_FROM: 'care@clinic.org' }).from).toEqual({
      name: '',
      address: 'care@clinic.org',
    });
    expect(() => loadConfig({ PATHWELL_FROM: 'not an address' })).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});

describe('parseSmtpUrl', () => {
  it('reads STARTTLS and implicit TLS endpoints with their default ports and credentials', () => {
    expect(parseSmtpUrl('smtp://relay.example.org')).toEqual({
      host: 'relay.example.org',
      port: 587,
      implicitTls: false,
    });
    expect(parseSmtpUrl('smtps://u%40x:p%3Ass@relay.example.org')).toEqual({
      host: 'relay.example.org',
      port: 465,
      implicitTls: true,
      auth: { user: 'u@x', pass: 'p:ss' },
    });
  });

  it('refuses other schemes', () => {
    expect(() => parseSmtpUrl('http://relay')).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});
