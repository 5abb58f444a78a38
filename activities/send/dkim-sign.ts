import DKIM from 'nodemailer/lib/dkim';

/** The key a message is DKIM-signed with (RSA, 2048 bits or more; RFC 8301). */
export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * The headers every signature covers. Named explicitly, with the List-Unsubscribe pair RFC 8058
 * requires for one-click unsubscribe (COMPLIANCE.md AC-OC-1), rather than relying on the
 * signer's default list.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'X-Pathwell-Ref',
].join(':');

/**
 * Signs a finished message (the final bytes: for PGP, the encrypted MIME). Signing happens in
 * memory: no cache folder, so no copy of the message ever lands on disk (AC-DKIM-3).
 */
export async function dkimSign(raw: Buffer, key: DkimKey): Promise<Buffer> {
  const signer = new DKIM({ ...key, headerFieldNames: DKIM_SIGNED_HEADERS, cacheDir: false });
  const stream = signer.sign(raw);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  }
  return Buffer.concat(chunks);
}
