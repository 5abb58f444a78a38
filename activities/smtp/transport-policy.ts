import type { SecureVersion } from 'node:tls';
import { AppError } from '../../engine/errors/app-error.js';

/** The TLS settings a PHI-capable transport may run with, as nodemailer names them. */
export interface TransportTlsSettings {
  secure: boolean;
  requireTLS?: boolean;
  ignoreTLS?: boolean;
  opportunisticTLS?: boolean;
  debug?: boolean;
  tls: { rejectUnauthorized?: boolean; minVersion?: SecureVersion };
}

const TLS_VERSIONS: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/**
 * Refuses any transport setting that could send without verified TLS or leak a message into
 * logs (COMPLIANCE.md AC-ARCH-1). Pathwell builds its own settings, so this guards against a
 * later change weakening them, in every mode, at worker start and before each connection.
 *
 * @throws AppError `insecure_transport_config` naming the setting
 */
export function assertSecureTransport(settings: TransportTlsSettings): void {
  const problems: string[] = [];
  if (settings.ignoreTLS === true) {
    problems.push('ignoreTLS is true');
  }
  if (settings.opportunisticTLS === true) {
    problems.push('opportunisticTLS is true');
  }
  if (settings.tls.rejectUnauthorized === false) {
    problems.push('tls.rejectUnauthorized is false');
  }
  if (TLS_VERSIONS.indexOf(settings.tls.minVersion ?? 'TLSv1') < TLS_VERSIONS.indexOf('TLSv1.2')) {
    problems.push(
      `tls.minVersion is ${settings.tls.minVersion ?? 'unset'} (TLSv1.2 or later required)`,
    );
  }
  if (settings.debug === true) {
    problems.push('debug is true (it logs whole messages)');
  }
  if (!settings.secure && settings.requireTLS !== true) {
    problems.push('neither secure nor requireTLS is set');
  }
  if (problems.length > 0) {
    throw new AppError(
      'insecure_transport_config',
      `The SMTP transport could send without verified TLS: ${problems.join('; ')}. ` +
        'Use smtp:// (STARTTLS, required) or smtps://, and trust the peer with SMTP_CA_FILE.',
      { details: { reason: 'insecure_transport_config', problems } },
    );
  }
}
