import { describe, expect, it } from 'vitest';
import { dsnOutcome, parseDeliveryStatus } from './parse-delivery-status.js';

// Written for these tests in the shape of RFC 3464 §2 (per-message group, then one group per
// recipient), with folded fields, a comment after a status and mixed-case field names.
const TWO_RECIPIENTS = [
  'Reporting-MTA: dns; mx1.example.net',
  'Original-Envelope-Id: 5f0c2a9e41b7d3c8a6e1f024',
  'Arrival-Date: Tue, 3 Mar 2026 10:00:00 +0000',
  '',
  'Final-Recipient: rfc822; gone@example.net',
  'Action: failed',
  'Status: 5.1.1 (mailbox unknown)',
  'Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach',
  '    does not exist',
  '',
  'final-recipient: RFC822; full@example.net',
  'original-recipient: rfc822; Full@Example.net',
  'ACTION: Delayed',
  'status: 4.2.2',
  'Last-Attempt-Date: Wed, 4 Mar 2026 08:30:00 +0000',
  '',
].join('\r\n');

describe('parseDeliveryStatus', () => {
  it('AC-BNC-4 reads every recipient of a multi-recipient report, folded fields included', () => {
    const parsed = parseDeliveryStatus(TWO_RECIPIENTS);

    expect(parsed).toEqual({
      ok: true,
      report: {
        envelopeId: '5f0c2a9e41b7d3c8a6e1f024',
        reportingMta: 'mx1.example.net',
        recipients: [
          {
            finalRecipient: 'gone@example.net',
            action: 'failed',
            status: '5.1.1',
            diagnosticCode:
              'smtp; 550 5.1.1 The email account that you tried to reach does not exist',
            attemptedAt: '2026-03-03T10:00:00.000Z',
          },
          {
            finalRecipient: 'full@example.net',
            originalRecipient: 'Full@Example.net',
            action: 'delayed',
            status: '4.2.2',
            attemptedAt: '2026-03-04T08:30:00.000Z',
          },
        ],
      },
    });
  });

  it('AC-BNC-4 accepts a recipient without Diagnostic-Code', () => {
    const parsed = parseDeliveryStatus(
      'Reporting-MTA: dns; relay.example\n\nFinal-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.7.1\n',
    );

    expect(parsed.ok && parsed.report.recipients).toEqual([
      { finalRecipient: 'a@example.org', action: 'failed', status: '5.7.1' },
    ]);
  });

  it('refuses a body without per-recipient fields, or a recipient without a status', () => {
    expect(parseDeliveryStatus('Reporting-MTA: dns; x\n')).toMatchObject({ ok: false });
    expect(
      parseDeliveryStatus(
        'Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.c\nAction: failed\n',
      ),
    ).toMatchObject({ ok: false });
    expect(parseDeliveryStatus('')).toMatchObject({ ok: false });
  });
});

describe('dsnOutcome', () => {
  it.each([
    ['failed', '5.1.1', 'hard_bounce'],
    ['failed', '5.7.1', 'policy'],
    ['failed', '5.2.2', 'permanent'],
    ['failed', '4.4.7', 'transient'],
    ['delayed', '4.2.2', 'transient'],
    ['delivered', '2.0.0', 'delivered'],
    ['relayed', '2.0.0', 'delivered'],
  ] as const)('maps %s %s to %s', (action, status, outcome) => {
    expect(dsnOutcome({ finalRecipient: 'a@b.c', action, status })).toBe(outcome);
  });
});
