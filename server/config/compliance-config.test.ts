import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { loadDkimKey } from './dkim-key.js';

const PRODUCTION = {
  PATHWELL_MODE: 'production',
  DATABASE_URL: 'postgres://db.example/pathwell',
  TEMPORAL_ADDRESS: 'temporal.example:7233',
  SMTP_URL: 'smtp://relay.example:587',
  PATHWELL_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  PATHWELL_PUBLIC_URL: 'https://pathwell.example',
};

describe('compliance configuration', () => {
  it('AC-ARCH-4 refuses a production relay without a BAA and recipient-side TLS enforcement', () => {
    expect(() => loadConfig(PRODUCTION)).toThrow(/PATHWELL_RELAY_BAA/);
    expect(() => loadConfig({ ...PRODUCTION, PATHWELL_RELAY_BAA: 'true' })).toThrow(
      /PATHWELL_RELAY_RECIPIENT_TLS/,
    );
    const config = loadConfig({
      ...PRODUCTION,
      PATHWELL_RELAY_BAA: 'true',
      PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
    });
    expect(config.compliance).toMatchObject({ relayBaa: true, relayRecipientTls: 'enforced' });
  });

  it('reads the organisation policy switches and defaults them to the strict side', () => {
    const strict = loadConfig({}).compliance;
    const relaxed = loadConfig({
      PATHWELL_ALLOW_PATIENT_ACCEPTED_UNENCRYPTED: 'true',
      PATHWELL_MARKETING_FALLBACK: 'portal',
    }).compliance;

    expect(strict).toMatchObject({
      acceptEhrAddresses: true,
      allowPatientAcceptedUnencrypted: false,
      allowOpportunisticForS0: false,
      marketingFallback: 'drop',
      forcePortal: false,
      portalTtlDays: 30,
      unsubscribeMailto: 'unsubscribe@pathwell.localhost',
    });
    expect(relaxed).toMatchObject({
      allowPatientAcceptedUnencrypted: true,
      marketingFallback: 'portal',
    });
    expect(() => loadConfig({ PATHWELL_FORCE_PORTAL: 'yes' })).toThrow(/PATHWELL_FORCE_PORTAL/);
  });

  it('AC-DKIM-2 refuses a DKIM key under 2048 bits and an Ed25519 key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-dkim-'));
    const weak = path.join(dir, 'weak.pem');
    const edwards = path.join(dir, 'ed.pem');
    fs.writeFileSync(
      weak,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }),
    );
    fs.writeFileSync(
      edwards,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const options = {
      domain: 'example.org',
      selector: 's1',
      dataDir: dir,
      mode: 'development' as const,
    };

    expect(() => loadDkimKey({ ...options, keyFile: weak })).toThrow(/at least 2048 bits/);
    expect(() => loadDkimKey({ ...options, keyFile: edwards })).toThrow(/RSA/);
    expect(() => loadDkimKey({ ...options, keyFile: undefined, mode: 'production' })).toThrow(
      /PATHWELL_DKIM_PRIVATE_KEY_FILE/,
    );
    const generated = loadDkimKey({ ...options, keyFile: undefined });
    expect(generated.dnsRecord).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(loadDkimKey({ ...options, keyFile: undefined }).privateKey).toBe(generated.privateKey);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
