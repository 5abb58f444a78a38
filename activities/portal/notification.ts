import type { RenderedMessage } from '../../engine/templates/render.js';

/**
 * The secure-portal notification: fixed text with no PHI at all (COMPLIANCE.md AC-PRT-1, §4):
 * no name, no appointment, no department; only the opaque link and when it expires.
 *
 * @param link - `https://<portal>/m/<token>` (in development `http://localhost`)
 * @param expiresOn - the expiry date as a person reads it, e.g. "July 15, 2026"
 */
export function portalNotification(
  link: string,
  expiresOn: string,
  orgName: string,
): RenderedMessage {
  const text = [
    'Hello,',
    '',
    'You have a new secure message. To read it, open this link and ask for a one-time code,',
    'which we send to this email address:',
    '',
    link,
    '',
    `The message can be read until ${expiresOn}.`,
    '',
    orgName,
  ].join('\n');
  const html =
    '<p>Hello,</p><p>You have a new secure message. To read it, open the link below and ask ' +
    'for a one-time code, which we send to this email address.</p>' +
    `<p><a href="${link}">Read the secure message</a></p>` +
    `<p>The message can be read until ${expiresOn}.</p><p>${escapeHtml(orgName)}</p>`;
  return { subject: 'You have a new secure message', html, text };
}

/** The one-time code email: the code and nothing else (no PHI, no link). */
export function portalCodeEmail(code: string, orgName: string): RenderedMessage {
  const text = `Your one-time code is ${code}. It works for 10 minutes.\n\nIf you did not ask for it, ignore this email.\n\n${orgName}`;
  return {
    subject: 'Your one-time code',
    text,
    html: `<p>Your one-time code is <strong>${code}</strong>. It works for 10 minutes.</p><p>If you did not ask for it, ignore this email.</p><p>${escapeHtml(orgName)}</p>`,
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
