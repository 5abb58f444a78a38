import type { Bundle, Parameters } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import {
  notificationIgnoreReason,
  readSubscriptionNotification,
} from './subscription-notification.js';

const FOCUS = 'https://ehr.example/fhir/Encounter/e1';

function backport(type: string, withEvent = false): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'history',
    entry: [
      {
        resource: {
          resourceType: 'Parameters',
          id: 'status-1',
          parameter: [
            { name: 'subscription', valueString: 'https://ehr.example/fhir/Subscription/s1' },
            { name: 'status', valueCode: 'active' },
            { name: 'type', valueCode: type },
            ...(withEvent
              ? [
                  {
                    name: 'notification-event',
                    part: [
                      { name: 'event-number', valueString: '1' },
                      { name: 'focus', valueReference: { reference: FOCUS } },
                    ],
                  },
                ]
              : []),
          ],
        } as Parameters,
      },
    ],
  };
}

function statusBundle(bundleType: string, type: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: bundleType as Bundle['type'],
    entry: [
      {
        resource: {
          resourceType: 'SubscriptionStatus',
          id: 'status-2',
          type,
          notificationEvent: [{ eventNumber: '3', focus: { reference: FOCUS } }],
        } as never,
      },
    ],
  };
}

describe('readSubscriptionNotification', () => {
  it('reads an R4 Backport event notification and its focus', () => {
    const notification = readSubscriptionNotification(backport('event-notification', true));

    expect(notification).toEqual({
      type: 'event-notification',
      status: { resourceType: 'Parameters', id: 'status-1' },
      focus: [FOCUS],
    });
    expect(notificationIgnoreReason(notification as never)).toBeUndefined();
  });

  it.each([
    ['handshake', 'subscription_handshake'],
    ['heartbeat', 'subscription_heartbeat'],
    ['query-status', 'subscription_status'],
  ])('acknowledges a %s without events', (type, reason) => {
    const notification = readSubscriptionNotification(backport(type));

    expect(notification === undefined ? 'none' : notificationIgnoreReason(notification)).toBe(
      reason,
    );
  });

  it('reads R4B (history) and R5 (subscription-notification) SubscriptionStatus bundles', () => {
    expect(
      readSubscriptionNotification(statusBundle('history', 'event-notification'))?.focus,
    ).toEqual([FOCUS]);
    expect(
      readSubscriptionNotification(statusBundle('subscription-notification', 'handshake'))?.type,
    ).toBe('handshake');
  });

  it('is not a notification when the Bundle is a transaction or an ordinary history', () => {
    expect(
      readSubscriptionNotification({ ...backport('handshake'), type: 'transaction' }),
    ).toBeUndefined();
    expect(
      readSubscriptionNotification({
        resourceType: 'Bundle',
        type: 'history',
        entry: [{ resource: { resourceType: 'Patient', id: 'p' } }],
      }),
    ).toBeUndefined();
  });
});
