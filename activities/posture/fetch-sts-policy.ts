import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { certificateResultType } from '../smtp/tls-result-types.js';
import type { MailDns } from './mail-dns.js';

/** What fetching a domain's MTA-STS policy body gave. */
export type PolicyFetch =
  | { ok: true; body: string }
  | { ok: false; resultType: 'sts-policy-fetch-error' | 'sts-webpki-invalid'; detail: string };

/** How policies are fetched: DNS, the HTTPS port (443), trusted roots and a time limit. */
export interface PolicyFetchOptions {
  dns: MailDns;
  port: number;
  ca: string[];
  timeoutMs: number;
}

// RFC 8461 §3.3: a policy is small; anything much larger is not one.
const MAX_POLICY_BYTES = 64 * 1024;

/**
 * Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt` as RFC 8461 §3.3 requires: HTTPS
 * with a certificate valid for the policy host (PKIX, no exceptions), a 200 answer, no
 * redirects followed, `text/plain`. A certificate failure is `sts-webpki-invalid`; any other
 * failure (DNS, connection, status, redirect, size, type) `sts-policy-fetch-error`.
 */
export async function fetchStsPolicy(
  domain: string,
  options: PolicyFetchOptions,
): Promise<PolicyFetch> {
  const host = `mta-sts.${domain}`;
  const address = await options.dns.address(host).catch(() => undefined);
  if (address === undefined) {
    return { ok: false, resultType: 'sts-policy-fetch-error', detail: 'no address' };
  }
  // The connection goes to the address Pathwell's resolver gave; the certificate is checked
  // against the policy host's name.
  const lookup: LookupFunction = (_name, lookupOptions, callback) => {
    const family = address.includes(':') ? 6 : 4;
    if ((lookupOptions as { all?: boolean }).all === true) {
      (callback as (error: null, addresses: Array<{ address: string; family: number }>) => void)(
        null,
        [{ address, family }],
      );
      return;
    }
    callback(null, address, family);
  };

  return new Promise<PolicyFetch>((resolve) => {
    const request = https.get(
      {
        host,
        servername: host,
        port: options.port,
        path: '/.well-known/mta-sts.txt',
        lookup,
        ca: options.ca,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        timeout: options.timeoutMs,
        headers: { accept: 'text/plain' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const type = String(response.headers['content-type'] ?? '');
        if (status !== 200 || !/^text\/plain\b/i.test(type)) {
          response.resume();
          resolve(fetchError(status >= 300 && status < 400 ? `redirect ${status}` : `${status}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_POLICY_BYTES) {
            request.destroy();
            resolve(fetchError('too large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ ok: true, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', () => resolve(fetchError('read')));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: Error & { code?: string }) => {
      const certificate = certificateResultType(error.code);
      resolve(
        certificate === undefined
          ? fetchError(error.code ?? 'connection')
          : { ok: false, resultType: 'sts-webpki-invalid', detail: certificate },
      );
    });
  });
}

function fetchError(detail: string): PolicyFetch {
  return { ok: false, resultType: 'sts-policy-fetch-error', detail };
}
