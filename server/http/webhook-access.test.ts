import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { LOCAL_SOURCE, webhookSource } from './webhook-access.js';

const from = (remoteAddress: string) => ({ socket: { remoteAddress } }) as unknown as Request;

describe('webhookSource', () => {
  const development = loadConfig({});

  it('files unsigned development posts from this machine under the local source', () => {
    expect(webhookSource(from('127.0.0.1'), development)).toBe(LOCAL_SOURCE);
    expect(webhookSource(from('::1'), development)).toBe(LOCAL_SOURCE);
    expect(webhookSource(from('::ffff:127.0.0.1'), development)).toBe(LOCAL_SOURCE);
  });

  it('refuses unsigned posts from another machine, even in development', () => {
    expect(() => webhookSource(from('10.1.2.3'), development)).toThrow(
      expect.objectContaining({ code: 'webhook_signature_required', status: 401 }),
    );
  });

  it('refuses unsigned posts in production, even from this machine', () => {
    const production = loadConfig({
      PATHWELL_MODE: 'production',
      PATHWELL_PUBLIC_URL: 'https://pathwell.example.org',
      DATABASE_URL: 'postgres://db/p',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtps://relay:465',
      PATHWELL_MASTER_KEY: Buffer.alloc(32, 2).toString('base64'),
      PATHWELL_RELAY_BAA: 'true',
      PATHWELL_RELAY_RECIPIENT_TLS: 'enforced',
    });

    expect(() => webhookSource(from('127.0.0.1'), production)).toThrow(
      expect.objectContaining({ code: 'webhook_signature_required' }),
    );
  });
});
