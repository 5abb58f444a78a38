import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../engine/errors/app-error.js';

/** The DKIM signing key and where it signs for. */
export interface DkimSettings {
  domainName: string;
  keySelector: string;
  privateKey: string;
  /** The DNS TXT record value to publish at `<selector>._domainkey.<domain>`. */
  dnsRecord: string;
}

/** The smallest RSA key Pathwell signs with (RFC 8301 allows 1024; 2048 is the floor here). */
export const DKIM_MIN_RSA_BITS = 2048;

/**
 * The DKIM key from `PATHWELL_DKIM_PRIVATE_KEY_FILE`, or in development one generated in the
 * data folder on first use. Refuses keys that are not RSA or shorter than 2048 bits
 * (COMPLIANCE.md AC-DKIM-2): nodemailer's signer implements rsa-sha256 only, so Ed25519 keys
 * are refused too rather than silently producing unsigned mail.
 */
export function loadDkimKey(options: {
  keyFile: string | undefined;
  domain: string;
  selector: string;
  dataDir: string;
  mode: 'development' | 'production';
}): DkimSettings {
  let file = options.keyFile;
  if (file === undefined) {
    if (options.mode === 'production') {
      throw new AppError(
        'config_invalid',
        'Set PATHWELL_DKIM_PRIVATE_KEY_FILE in production: every message is DKIM-signed.',
      );
    }
    file = path.join(options.dataDir, 'dkim', `${options.selector}.pem`);
    if (!fs.existsSync(file)) {
      generateKeyFile(file);
    }
  }
  const pem = fs.readFileSync(file, 'utf8');
  return { ...checkedKey(pem), domainName: options.domain, keySelector: options.selector };
}

function checkedKey(pem: string): { privateKey: string; dnsRecord: string } {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new AppError('config_invalid', 'The DKIM key file is not a PEM private key.', {
      cause: error,
    });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < DKIM_MIN_RSA_BITS) {
    throw new AppError(
      'config_invalid',
      `The DKIM key must be RSA of at least ${DKIM_MIN_RSA_BITS} bits (got ${key.asymmetricKeyType ?? 'unknown'} ${bits || ''}).`,
    );
  }
  const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey: pem, dnsRecord: `v=DKIM1; k=rsa; p=${publicDer}` };
}

// Written under a temporary name and linked into place: two processes starting at once both
// end up with the key that won, never with half a file or with different keys.
function generateKeyFile(file: string): void {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: DKIM_MIN_RSA_BITS });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
