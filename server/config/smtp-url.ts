import { AppError } from '../../engine/errors/app-error.js';

/** Where and how to reach the SMTP peer. TLS is never optional. */
export interface SmtpEndpoint {
  host: string;
  port: number;
  /** `true`: TLS from the first byte (smtps, usually 465); `false`: STARTTLS, required. */
  implicitTls: boolean;
  auth?: { user: string; pass: string };
}

/**
 * Reads `SMTP_URL`: `smtp://[user:pass@]host:port` (STARTTLS required) or
 * `smtps://[user:pass@]host:port` (implicit TLS). Query options are refused, because the only
 * ones a transport would take are ways to weaken TLS.
 */
export function parseSmtpUrl(value: string): SmtpEndpoint {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new AppError(
      'config_invalid',
      'SMTP_URL is not a URL; write smtp://host:587 or smtps://host:465.',
      { cause: error },
    );
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new AppError(
      'config_invalid',
      `SMTP_URL scheme "${url.protocol}" is not smtp: or smtps:.`,
    );
  }
  if (url.search !== '') {
    throw new AppError(
      'insecure_transport_config',
      'SMTP_URL takes no query options: TLS is always required and verified.',
    );
  }
  const implicitTls = url.protocol === 'smtps:';
  const port = url.port === '' ? (implicitTls ? 465 : 587) : Number(url.port);
  const auth =
    url.username === ''
      ? undefined
      : { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  return { host: url.hostname, port, implicitTls, ...(auth === undefined ? {} : { auth }) };
}
