import { createHmac } from 'node:crypto';

/** The headers of a request signed as a registered source signs it. */
export function signedHeaders(
  source: string,
  secret: string,
  body: string | Buffer,
  at: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${at}.`).update(body).digest('hex');
  return {
    'x-pathwell-source': source,
    'x-pathwell-timestamp': String(at),
    'x-pathwell-signature': `sha256=${signature}`,
  };
}
