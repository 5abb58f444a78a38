import type { Bundle, FhirResource, Parameters, ParametersParameter } from 'fhir/r4.js';
import type { IgnoreReason } from '../ignore-reasons.js';

/** The notification types of FHIR topic-based subscriptions (R4 Backport, R4B, R5). */
export type NotificationType =
  | 'handshake'
  | 'heartbeat'
  | 'event-notification'
  | 'query-status'
  | 'query-event';

/** A subscription notification's status entry, read. */
export interface SubscriptionNotification {
  type: NotificationType | 'unknown';
  /** The status entry (a Parameters in the R4 Backport, a SubscriptionStatus in R4B and R5). */
  status: { resourceType: string; id: string };
  /** The `focus` reference of each event the notification reports. */
  focus: string[];
}

// R4B and R5 define SubscriptionStatus; the R4 types package does not, so it is read by shape.
interface SubscriptionStatusShape {
  resourceType: 'SubscriptionStatus';
  id?: string;
  type?: string;
  notificationEvent?: Array<{ focus?: { reference?: string } }>;
}

/**
 * Reads a Bundle as a topic-based subscription notification, if it is one: an R4 Backport
 * `history` Bundle whose first entry is a Parameters with the SubscriptionStatus parameters,
 * an R4B `history` Bundle whose first entry is a SubscriptionStatus, or an R5
 * `subscription-notification` Bundle.
 *
 * @returns `undefined` for any other Bundle
 */
export function readSubscriptionNotification(bundle: Bundle): SubscriptionNotification | undefined {
  if (bundle.type !== 'history' && (bundle.type as string) !== 'subscription-notification') {
    return undefined;
  }
  const first = bundle.entry?.[0]?.resource as FhirResource | SubscriptionStatusShape | undefined;
  if (first?.resourceType === 'Parameters' && isBackportStatus(first)) {
    return fromParameters(first);
  }
  if (first?.resourceType === 'SubscriptionStatus') {
    return {
      type: notificationType(first.type),
      status: { resourceType: 'SubscriptionStatus', id: first.id ?? '' },
      focus: (first.notificationEvent ?? [])
        .map((event) => event.focus?.reference)
        .filter((reference): reference is string => typeof reference === 'string'),
    };
  }
  return undefined;
}

/** Why a notification of this type starts nothing by itself, if it does not. */
export function notificationIgnoreReason(
  notification: SubscriptionNotification,
): IgnoreReason | undefined {
  switch (notification.type) {
    case 'handshake':
      return 'subscription_handshake';
    case 'heartbeat':
      return 'subscription_heartbeat';
    case 'event-notification':
    case 'query-event':
      return notification.focus.length === 0 ? 'subscription_status' : undefined;
    case 'query-status':
    case 'unknown':
      return 'subscription_status';
  }
}

function isBackportStatus(parameters: Parameters): boolean {
  const names = new Set((parameters.parameter ?? []).map((parameter) => parameter.name));
  return names.has('subscription') && (names.has('type') || names.has('status'));
}

function fromParameters(parameters: Parameters): SubscriptionNotification {
  const all = parameters.parameter ?? [];
  const type = all.find((parameter) => parameter.name === 'type')?.valueCode;
  const events = all.filter(
    (parameter) =>
      parameter.name === 'notification-event' || parameter.name === 'notificationEvent',
  );
  return {
    type: notificationType(type),
    status: { resourceType: 'Parameters', id: parameters.id ?? '' },
    focus: events
      .map((event) => focusOf(event.part ?? []))
      .filter((reference): reference is string => reference !== undefined),
  };
}

function focusOf(parts: ParametersParameter[]): string | undefined {
  return parts.find((part) => part.name === 'focus')?.valueReference?.reference;
}

function notificationType(value: string | undefined): NotificationType | 'unknown' {
  switch (value) {
    case 'handshake':
    case 'heartbeat':
    case 'event-notification':
    case 'query-status':
    case 'query-event':
      return value;
    default:
      return 'unknown';
  }
}
