import { DateTime } from 'luxon';

/**
 * One immutable version of a HIPAA marketing authorization (45 CFR 164.508(c)): what may be
 * used, by whom, to whom, for which programmes, until when, signed when, and the statements the
 * form must carry. A correction is a new version; nothing is ever updated in place.
 */
export interface MarketingAuthorization {
  id: string;
  version: number;
  patientId: string;
  /** A specific description of the information to be used. */
  description: string;
  /** Who may use or disclose it (the organisation, a named person or class). */
  disclosedBy: string;
  /** To whom it may be disclosed. */
  recipient: string;
  /** The programmes or campaigns it covers; `*` covers every marketing programme. */
  programs: string[];
  /** Sponsors whose products it covers; empty means only the organisation's own. */
  sponsors: string[];
  /** An expiration date (YYYY-MM-DD, through the end of that day in the org's zone)... */
  expiresOn?: string | undefined;
  /** ...or an expiration event, e.g. `enrollment_end`. */
  expiresOnEvent?: string | undefined;
  /** When the expiration event is known to have occurred. */
  expirationEventOccurredAt?: string | undefined;
  signedAt: string;
  /** Whether the form discloses that the organisation is paid by a third party. */
  remunerationDisclosed: boolean;
  /** The required statements of 164.508(c)(2). */
  statements: {
    rightToRevoke: boolean;
    conditioning: boolean;
    redisclosure: boolean;
  };
  revocation?: { revokedAt: string; method: string } | undefined;
}

/** The marketing programme a send belongs to, as its send node declares it. */
export interface CampaignScope {
  program: string;
  sponsor?: string | undefined;
  thirdPartyRemuneration: boolean;
}

/** Why an authorization does not allow a marketing send. */
export type AuthorizationFault =
  | { reason: 'authorization_revoked'; revokedAt: string }
  | { reason: 'authorization_expired'; expiredAt: string }
  | { reason: 'authorization_expired_event'; event: string }
  | { reason: 'authorization_defective'; missing: string[] }
  | { reason: 'authorization_scope_mismatch' };

/**
 * Checks one authorization for one marketing send at `now` (COMPLIANCE.md AC-AUTH-1..5).
 *
 * Revocation is checked first: a revocation recorded before this decision blocks the send even
 * if the send was scheduled before it (AC-AUTH-4).
 *
 * @param zone - the organisation's IANA zone: an expiration date lasts to the end of that day
 * @returns `undefined` when the authorization allows the send
 */
export function checkAuthorization(
  authorization: MarketingAuthorization,
  campaign: CampaignScope,
  at: { now: string; zone: string },
): AuthorizationFault | undefined {
  const revocation = authorization.revocation;
  if (revocation !== undefined && Date.parse(revocation.revokedAt) <= Date.parse(at.now)) {
    return { reason: 'authorization_revoked', revokedAt: revocation.revokedAt };
  }
  if (authorization.expiresOn !== undefined) {
    const end = DateTime.fromISO(authorization.expiresOn, { zone: at.zone }).endOf('day');
    if (!end.isValid || end.toMillis() < Date.parse(at.now)) {
      return { reason: 'authorization_expired', expiredAt: end.toUTC().toISO() ?? '' };
    }
  }
  if (
    authorization.expiresOnEvent !== undefined &&
    authorization.expirationEventOccurredAt !== undefined &&
    Date.parse(authorization.expirationEventOccurredAt) <= Date.parse(at.now)
  ) {
    return { reason: 'authorization_expired_event', event: authorization.expiresOnEvent };
  }
  const missing = missingElements(authorization, campaign);
  if (missing.length > 0) {
    return { reason: 'authorization_defective', missing };
  }
  const isProgramCovered =
    authorization.programs.includes('*') || authorization.programs.includes(campaign.program);
  const isSponsorCovered =
    campaign.sponsor === undefined || authorization.sponsors.includes(campaign.sponsor);
  if (!isProgramCovered || !isSponsorCovered) {
    return { reason: 'authorization_scope_mismatch' };
  }
  return undefined;
}

/**
 * The core elements and statements an authorization lacks (164.508(b)(2), (c)); the field names
 * go into the audit row, so a compliance officer can see what to collect again.
 */
export function missingElements(
  authorization: MarketingAuthorization,
  campaign?: CampaignScope,
): string[] {
  const missing: string[] = [];
  const isBlank = (value: string | undefined) => value === undefined || value.trim() === '';
  if (isBlank(authorization.description)) {
    missing.push('description');
  }
  if (isBlank(authorization.disclosedBy)) {
    missing.push('disclosedBy');
  }
  if (isBlank(authorization.recipient)) {
    missing.push('recipient');
  }
  if (authorization.programs.length === 0) {
    missing.push('programs');
  }
  if (isBlank(authorization.expiresOn) && isBlank(authorization.expiresOnEvent)) {
    missing.push('expiration');
  }
  if (isBlank(authorization.signedAt) || Number.isNaN(Date.parse(authorization.signedAt))) {
    missing.push('signedAt');
  }
  for (const [name, isPresent] of Object.entries(authorization.statements)) {
    if (!isPresent) {
      missing.push(`statements.${name}`);
    }
  }
  if (campaign?.thirdPartyRemuneration === true && !authorization.remunerationDisclosed) {
    missing.push('remunerationDisclosed');
  }
  return missing;
}
