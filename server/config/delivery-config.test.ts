import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const PRODUCTION = {
  PATHWELL_MODE: 'production',
  DATABASE_URL: 'postgres://db.example/pathwell',
  TEMPORAL_ADDRESS: 'temporal.example:7233',
  PATHWELL_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  PATHWELL_PUBLIC_URL: 'https://pathwell.example',
};

describe('delivery configuration', () => {
  it('delivers through the relay by default and probes recipients only when asked', () => {
    expect(loadConfig({}).compliance).toMatchObject({
      deliveryMode: 'relay',
      recipientProbe: false,
      dnsServers: [],
    });
    expect(loadConfig({ PATHWELL_RECIPIENT_PROBE: 'true' }).compliance.recipientProbe).toBe(true);
  });

  it('always probes in direct mode, and production direct mode needs no relay', () => {
    const direct = loadConfig({
      ...PRODUCTION,
      PATHWELL_DELIVERY_MODE: 'direct',
      PATHWELL_DNS_SERVERS: '127.0.0.1:53, [::1]:53',
    });

    expect(direct.smtp).toBeUndefined();
    expect(direct.compliance).toMatchObject({
      deliveryMode: 'direct',
      recipientProbe: true,
      dnsServers: ['127.0.0.1:53', '[::1]:53'],
    });
    expect(() => loadConfig(PRODUCTION)).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ PATHWELL_DELIVERY_MODE: 'mx' })).toThrow(/PATHWELL_DELIVERY_MODE/);
  });

  it('reads an empty SMTP_CA_FILE (docker-compose passes unset variables so) as unset', () => {
    expect(loadConfig({ SMTP_CA_FILE: '' }).smtpCaFile).toBeUndefined();
    expect(loadConfig({ SMTP_CA_FILE: '/etc/ca.pem' }).smtpCaFile).toBe('/etc/ca.pem');
  });

  it('AC-PHI-1 refuses a sensitive lexicon file that cannot be read', () => {
    expect(() =>
      loadConfig({ PATHWELL_SENSITIVE_LEXICON_FILE: '/nonexistent/lexicon.txt' }),
    ).toThrow(/PATHWELL_SENSITIVE_LEXICON_FILE/);
    expect(loadConfig({}).compliance.sensitiveLexicon).toContain('oncolog*');
  });
});
