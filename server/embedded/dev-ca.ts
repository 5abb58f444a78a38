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

/** A certificate authority held in memory: its certificate and the key it signs with. */
export interface CertificateAuthority {
  certPem: string;
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

/** A server certificate and its private key, as PEM. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/** What a server certificate is for and how long it is valid. */
export interface CertificateRequest {
  /** DNS names and IP addresses the certificate names (subjectAltName); the first is the CN. */
  names: readonly string[];
  /** Default: a day ago. */
  notBefore?: Date;
  /** Default: 825 days from now. An instant in the past makes an expired certificate. */
  notAfter?: Date;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/**
 * A new certificate authority, in memory. Development uses one kept in the data folder; tests
 * make their own to issue certificates for any name (recipient MXes, MTA-STS policy hosts),
 * expired ones, and ones from a CA nobody trusts.
 */
export async function createCertificateAuthority(name: string): Promise<CertificateAuthority> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const now = Date.now();
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${name}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });
  return { certPem: certificate.toString('pem'), certificate, privateKey: keys.privateKey };
}

/** Issues a TLS server certificate from `ca` for the request's names. */
export async function issueServerCertificate(
  ca: CertificateAuthority,
  request: CertificateRequest,
): Promise<IssuedCertificate> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const now = Date.now();
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const names = request.names.map((value) =>
    /^[\d.]+$|:/.test(value) ? { type: 'ip' as const, value } : { type: 'dns' as const, value },
  );
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${request.names[0] ?? 'localhost'}`,
    issuer: ca.certificate.subject,
    notBefore: request.notBefore ?? new Date(now - DAY_MS),
    notAfter: request.notAfter ?? new Date(now + 825 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: leaf.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

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

  const ca = await createCertificateAuthority('Pathwell development CA');
  const leaf = await issueServerCertificate(ca, { names: ['localhost', '127.0.0.1'] });

  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(files.ca, ca.certPem);
  fs.writeFileSync(files.cert, leaf.certPem);
  fs.writeFileSync(files.key, leaf.keyPem, { mode: 0o600 });
  return { caFile: files.ca, caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
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
