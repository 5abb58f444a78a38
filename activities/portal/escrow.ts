import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { RenderedMessage } from '../../engine/templates/render.js';
import type { KeyProvider } from '../../server/crypto/key-provider.js';
import type { Keyring } from '../../server/crypto/keyring.js';
import { insertPortalMessage } from '../../server/db/portal.store.js';
import type { Queryable } from '../../server/db/pool.js';
import { tokenHash } from '../../server/db/unsubscribe-tokens.store.js';

const ADDRESS_CONTEXT = 'portal_messages.address';

/** What the portal shows once the recipient has proved who they are. */
export interface PortalContent {
  subject: string;
  html: string;
  text: string;
}

/**
 * Escrows a rendered message in the secure portal: the content is sealed with a fresh
 * per-message AES-256-GCM key, which is stored only wrapped by the key provider (AC-PRT-5).
 * Returns the pickup token: 128 bits derived, under a key the database does not hold, from the
 * run and step, so a retried send escrows once and links to the same message (AC-PRT-1).
 */
export async function escrowMessage(
  deps: { pool: Queryable; keyring: Keyring; keyProvider: KeyProvider },
  message: {
    patientId: string;
    workflowId: string;
    stepId: string;
    messageId: string;
    address: string;
    content: RenderedMessage;
    expiresAt: string;
  },
): Promise<string> {
  const token = Buffer.from(
    deps.keyring.lookupHash(`portal\u0000${message.workflowId}\u0000${message.stepId}`),
    'hex',
  )
    .subarray(0, 16)
    .toString('base64url');
  const dataKey = deps.keyProvider.generateDataKey();
  const content: PortalContent = {
    subject: message.content.subject,
    html: message.content.html,
    text: message.content.text,
  };
  await insertPortalMessage(deps.pool, {
    id: randomUUID(),
    tokenHash: tokenHash(deps.keyring, token),
    patientId: message.patientId,
    workflowId: message.workflowId,
    stepId: message.stepId,
    messageId: message.messageId,
    address: deps.keyring.seal('fields', Buffer.from(message.address, 'utf8'), ADDRESS_CONTEXT),
    content: sealWithDataKey(dataKey, Buffer.from(JSON.stringify(content), 'utf8')),
    wrappedKey: deps.keyProvider.wrap(dataKey, 'portal.data-key'),
    expiresAt: message.expiresAt,
  });
  dataKey.fill(0);
  return token;
}

/** Opens escrowed content with its wrapped key. */
export function openEscrowed(
  keyProvider: KeyProvider,
  sealed: { content: Buffer; wrappedKey: Buffer },
): PortalContent {
  const dataKey = keyProvider.unwrap(sealed.wrappedKey, 'portal.data-key');
  const iv = sealed.content.subarray(0, 12);
  const tag = sealed.content.subarray(12, 28);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
  decipher.setAAD(Buffer.from('portal.content', 'utf8'));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(sealed.content.subarray(28)), decipher.final()]);
  dataKey.fill(0);
  return JSON.parse(plain.toString('utf8')) as PortalContent;
}

/** The address a portal message was sent to (for its one-time codes). */
export function portalAddress(keyring: Keyring, sealed: Buffer): string {
  return keyring.open('fields', sealed, ADDRESS_CONTEXT).toString('utf8');
}

function sealWithDataKey(dataKey: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from('portal.content', 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}
