import { type BounceClass, classifyBounce } from './classify-status.js';

/** What a DSN says happened for one recipient (RFC 3464 §2.3.3). */
export const DSN_ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;
/** A DSN action. */
export type DsnAction = (typeof DSN_ACTIONS)[number];

/** One recipient of a delivery status notification. */
export interface DsnRecipient {
  /** The address the report is about (`Final-Recipient`, type rfc822 or utf-8). */
  finalRecipient: string;
  originalRecipient?: string;
  action: DsnAction;
  /** The RFC 3463 enhanced status, e.g. `5.1.1`. */
  status: string;
  /** The remote server's answer, when the report carries one (it is optional). */
  diagnosticCode?: string;
  /** When the reporting MTA last tried (`Last-Attempt-Date`, else the report's Arrival-Date). */
  attemptedAt?: string;
}

/** The machine-readable part of a DSN (`message/delivery-status`). */
export interface DeliveryStatusReport {
  /** RFC 3461 ENVID the sender gave: Pathwell's opaque reference for the message. */
  envelopeId?: string;
  reportingMta?: string;
  recipients: DsnRecipient[];
}

/**
 * Parses a `message/delivery-status` body (RFC 3464 §2.1): a group of per-message fields, then
 * a group per recipient, groups separated by blank lines, fields in header syntax (folded lines
 * continue the previous field). A recipient group needs `Final-Recipient`, `Action` and
 * `Status`; `Diagnostic-Code` is optional.
 *
 * @returns the report, or why the body is not one (the caller quarantines it)
 */
export function parseDeliveryStatus(
  body: string,
): { ok: true; report: DeliveryStatusReport } | { ok: false; reason: string } {
  const groups = body
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(fieldsOf)
    .filter((group) => group.size > 0);
  const [perMessage, ...perRecipient] = groups;
  if (perMessage === undefined || perRecipient.length === 0) {
    return { ok: false, reason: 'no per-recipient fields' };
  }

  const recipients: DsnRecipient[] = [];
  for (const group of perRecipient) {
    const recipient = recipientOf(group, dateOf(perMessage.get('arrival-date')));
    if (recipient === undefined) {
      return { ok: false, reason: 'a recipient lacks Final-Recipient, Action or Status' };
    }
    recipients.push(recipient);
  }
  const envelopeId = perMessage.get('original-envelope-id');
  const reportingMta = perMessage.get('reporting-mta');
  return {
    ok: true,
    report: {
      ...(envelopeId === undefined ? {} : { envelopeId }),
      ...(reportingMta === undefined ? {} : { reportingMta: valueAfterType(reportingMta) }),
      recipients,
    },
  };
}

/**
 * What a DSN recipient means for the address, in the same model as SMTP replies: `delivered`,
 * or a bounce class (`delayed` and any 4.x.x are transient).
 */
export function dsnOutcome(recipient: DsnRecipient): BounceClass | 'delivered' {
  if (recipient.action === 'delayed') {
    return 'transient';
  }
  if (recipient.action !== 'failed') {
    return 'delivered';
  }
  return classifyBounce(recipient.status, undefined);
}

function recipientOf(
  group: Map<string, string>,
  arrivedAt: string | undefined,
): DsnRecipient | undefined {
  const finalRecipient = group.get('final-recipient');
  const action = group.get('action')?.toLowerCase() as DsnAction | undefined;
  const status = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(group.get('status') ?? '')?.[1];
  if (
    finalRecipient === undefined ||
    action === undefined ||
    !DSN_ACTIONS.includes(action) ||
    status === undefined
  ) {
    return undefined;
  }
  const original = group.get('original-recipient');
  const diagnostic = group.get('diagnostic-code');
  const attemptedAt = dateOf(group.get('last-attempt-date')) ?? arrivedAt;
  return {
    finalRecipient: valueAfterType(finalRecipient),
    ...(original === undefined ? {} : { originalRecipient: valueAfterType(original) }),
    action,
    status,
    ...(diagnostic === undefined ? {} : { diagnosticCode: diagnostic }),
    ...(attemptedAt === undefined ? {} : { attemptedAt }),
  };
}

// RFC 5322 date-times, as DSNs write them; an unreadable one is left out.
function dateOf(value: string | undefined): string | undefined {
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

// Header syntax: a line starting with white space continues the field before it.
function fieldsOf(group: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of group.split('\n')) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const at = line.indexOf(':');
    if (at <= 0) {
      continue;
    }
    last = line.slice(0, at).trim().toLowerCase();
    fields.set(last, line.slice(at + 1).trim());
  }
  return fields;
}

// `rfc822; ann@example.org` → `ann@example.org` (address-type, then the address).
function valueAfterType(value: string): string {
  const at = value.indexOf(';');
  return (at < 0 ? value : value.slice(at + 1)).trim();
}
