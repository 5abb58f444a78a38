// @peculiar/x509 resolves its parts with tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

/** PEM files of a development CA and a server certificate it signed. */
export interface DevCertificates {
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/**
 * A CA of Pathwell's own for development, kept in the data folder, and a certificate from it for
 * `localhost` and `127.0.0.1`. Pathwell's transport trusts this CA explicitly (`tls.ca`), so
 * development mail goes over verified TLS like production's: verification is never turned off.
 * Certificates are reused until a week before they expire.
 *
 * @param dir - where the PEM files live, e.g. `<data>/tls`
 */
export async function ensureDevCertificates(dir: string): Promise<DevCertificates> {
  const files = {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'localhost.pem'),
    key: path.join(dir, 'localhost-key.pem'),
  };
  const existing = readIfFresh(files);
  if (existing !== undefined) {
    return existing;
  }

  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Pathwell development CA',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });

  const leafKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=localhost',
    issuer: ca.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 825 * DAY_MS),
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });

  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(files.ca, ca.toString('pem'));
  fs.writeFileSync(files.cert, leaf.toString('pem'));
  fs.writeFileSync(files.key, keyPem, { mode: 0o600 });
  return { caFile: files.ca, caPem: ca.toString('pem'), certPem: leaf.toString('pem'), keyPem };
}

function readIfFresh(files: {
  ca: string;
  cert: string;
  key: string;
}): DevCertificates | undefined {
  if (![files.ca, files.cert, files.key].every((file) => fs.existsSync(file))) {
    return undefined;
  }
  const certPem = fs.readFileSync(files.cert, 'utf8');
  const expires = new x509.X509Certificate(certPem).notAfter.getTime();
  if (expires - Date.now() < 7 * DAY_MS) {
    return undefined;
  }
  return {
    caFile: files.ca,
    caPem: fs.readFileSync(files.ca, 'utf8'),
    certPem,
    keyPem: fs.readFileSync(files.key, 'utf8'),
  };
}

function randomSerial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}
