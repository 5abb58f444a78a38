import type { ContactAddress } from '../../engine/consent/decide-consent.js';
import type { RenderedMessage } from '../../engine/templates/render.js';
import { issueVerification } from '../../server/db/verifications.store.js';
import { serverMailer } from '../../server/mail/server-mailer.js';
import type { ActivityDeps } from '../activity-deps.js';

/** What happened to the verification email a blocked send asked for. */
export type VerificationOutcome = 'sent' | 'pending' | 'not_sent';

/**
 * Sends the PHI-free verification email for an address a PHI send could not use
 * (COMPLIANCE.md AC-PAT-1): fixed text with an opaque link, at most once a day per address.
 * Opening the link and confirming records the address as verified, and later sends use it.
 */
export async function requestVerification(
  deps: ActivityDeps,
  patientId: string,
  contact: ContactAddress,
): Promise<VerificationOutcome> {
  const token = await issueVerification(deps.pool, deps.keyring, {
    patientId,
    address: contact.address,
    source: contact.source,
  });
  if (token === undefined) {
    return 'pending';
  }
  const mailer = serverMailer({
    transport: deps.transport,
    from: deps.settings.from,
    dkim: deps.dkim,
  });
  const message = verificationEmail(`${deps.settings.publicUrl}/v/${token}`, deps.settings.orgName);
  return (await mailer.send(contact.address, message)) ? 'sent' : 'not_sent';
}

/**
 * The verification email: who asks, the link, and what to do if it was not expected. No name,
 * no appointment, nothing about why (AC-PAT-1: "a verification email without PHI").
 */
export function verificationEmail(link: string, orgName: string): RenderedMessage {
  const text = [
    'Hello,',
    '',
    `${orgName} was asked to send messages to this email address. To confirm that it is`,
    'yours, open this link and press the button on the page:',
    '',
    link,
    '',
    'If you did not expect this, ignore this email: nothing will be sent to this address.',
  ].join('\n');
  const html =
    `<p>Hello,</p><p>${escapeHtml(orgName)} was asked to send messages to this email address. ` +
    'To confirm that it is yours, open the link below and press the button on the page.</p>' +
    `<p><a href="${link}">Confirm this email address</a></p>` +
    '<p>If you did not expect this, ignore this email: nothing will be sent to this address.</p>';
  return { subject: 'Please confirm your email address', text, html };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
