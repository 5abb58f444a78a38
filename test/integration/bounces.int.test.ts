import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../server/db/suppressions.store.js';
import { auditOf, postAppointment, sendJourney } from '../support/compliance.js';
import { hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { runResult } from '../support/runs.js';

const HOUR = 3_600_000;
type Run = Awaited<ReturnType<typeof runResult>>;
const stepOf = (result: Run) => result.steps.find((step) => step.stepId === 'message');

interface DsnRecipientSpec {
  address: string;
  action: string;
  status?: string;
  diagnostic?: string;
  lastAttempt?: Date;
}

/** A delivery status notification as a relay's MAILER-DAEMON would send it (RFC 3464/6522). */
function dsn(options: {
  envelopeId?: string;
  recipients: DsnRecipientSpec[];
  returnedHeaders?: string[];
}): string {
  const perRecipient = options.recipients.map((recipient) =>
    [
      `Final-Recipient: rfc822; ${recipient.address}`,
      `Action: ${recipient.action}`,
      ...(recipient.status === undefined ? [] : [`Status: ${recipient.status}`]),
      ...(recipient.diagnostic === undefined
        ? []
        : [`Diagnostic-Code: smtp; ${recipient.diagnostic}`]),
      ...(recipient.lastAttempt === undefined
        ? []
        : [`Last-Attempt-Date: ${recipient.lastAttempt.toUTCString()}`]),
    ].join('\r\n'),
  );
  return [
    'From: Mail Delivery Subsystem <mailer-daemon@relay.example>',
    'To: bounces@pathwell.localhost',
    'Subject: Delivery Status Notification',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_report"',
    '',
    '--=_report',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host relay.example.',
    '',
    '--=_report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example',
    ...(options.envelopeId === undefined ? [] : [`Original-Envelope-Id: ${options.envelopeId}`]),
    '',
    perRecipient.join('\r\n\r\n'),
    '',
    ...(options.returnedHeaders === undefined
      ? []
      : ['--=_report', 'Content-Type: text/rfc822-headers', '', ...options.returnedHeaders, '']),
    '--=_report--',
    '',
  ].join('\r\n');
}

describe.skipIf(!hasFixtures)('bounces: DSNs posted to Pathwell', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.publish(sendJourney('Visit note, bounces'));
  });

  afterAll(async () => {
    await h?.close();
  });

  async function sent(email: string) {
    const { workflowId } = await postAppointment(h, { email });
    expect(stepOf(await runResult(h, workflowId))).toMatchObject({ outcome: 'sent' });
    const ledger = await h.pool.query<{ envelope_id: string; message_id: string }>(
      'SELECT envelope_id, message_id FROM deliveries WHERE workflow_id = $1',
      [workflowId],
    );
    return { workflowId, ...(ledger.rows[0] as { envelope_id: string; message_id: string }) };
  }

  const post = (body: string) =>
    request(h.app).post('/api/hooks/bounces').set('content-type', 'message/rfc822').send(body);

  it('AC-BNC-1 AC-BNC-4 a 5.1.1 in a two-recipient DSN suppresses the address Pathwell sent to', async () => {
    const email = `gone-${Date.now()}@example.org`;
    const stranger = `stranger-${Date.now()}@example.org`;
    const { workflowId, envelope_id: envelopeId, message_id: messageId } = await sent(email);

    const answer = await post(
      dsn({
        envelopeId,
        recipients: [
          { address: email, action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 unknown' },
          { address: stranger, action: 'failed', status: '5.1.1' },
        ],
      }),
    );

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      status: 'processed',
      messageId,
      recipients: [
        expect.objectContaining({
          recipientHash: addressHash(h.keyring, email),
          outcome: 'hard_bounce',
          isCorrelated: true,
          suppressed: 'hard_bounce',
        }),
        expect.objectContaining({ outcome: 'hard_bounce', isCorrelated: false, suppressed: null }),
      ],
    });
    expect(JSON.stringify(answer.body)).not.toContain(email);
    const suppressions = (address: string) =>
      request(h.app).get('/api/suppressions').query({ address });
    expect((await suppressions(email)).body).toEqual([
      expect.objectContaining({ scope: 'global', cause: 'hard_bounce', source: 'dsn' }),
    ]);
    expect((await suppressions(stranger)).body).toEqual([]);
    expect((await auditOf(h, workflowId)).map((row) => row.reason)).toEqual([
      'treatment_contact_ok',
      'bounce_hard',
    ]);
    const again = await postAppointment(h, { email });
    expect(stepOf(await runResult(h, again.workflowId))).toMatchObject({
      outcome: 'blocked',
      reason: 'suppressed_hard_bounce',
    });
  });

  it('AC-BNC-3 AC-BNC-4 correlates by the returned Message-ID; a 5.7.x without Diagnostic-Code suppresses nothing', async () => {
    const email = `policy-${Date.now()}@example.org`;
    const { workflowId, message_id: messageId } = await sent(email);

    const answer = await post(
      dsn({
        recipients: [{ address: email, action: 'failed', status: '5.7.1' }],
        returnedHeaders: [`Message-ID: ${messageId}`, 'Subject: A message from your care team'],
      }),
    );

    expect(answer.body).toMatchObject({
      status: 'processed',
      recipients: [{ outcome: 'policy', isCorrelated: true, suppressed: null }],
    });
    expect((await request(h.app).get('/api/suppressions').query({ address: email })).body).toEqual(
      [],
    );
    expect((await auditOf(h, workflowId)).at(-1)).toMatchObject({
      reason: 'bounce_policy',
      details: { hasDiagnosticCode: false, status: '5.7.1' },
    });
  });

  it('AC-BNC-2 suppresses an address for 7 days after three messages soft-bounced over 72 hours', async () => {
    const email = `full-${Date.now()}@example.org`;
    const first = await sent(email);
    const second = await sent(email);
    const third = await sent(email);
    const delayed = (envelopeId: string, hoursAgo: number) =>
      post(
        dsn({
          envelopeId,
          recipients: [
            {
              address: email,
              action: 'delayed',
              status: '4.2.2',
              lastAttempt: new Date(Date.now() - hoursAgo * HOUR),
            },
          ],
        }),
      );

    expect((await delayed(first.envelope_id, 96)).body.recipients[0].suppressed).toBeNull();
    expect((await delayed(second.envelope_id, 48)).body.recipients[0].suppressed).toBeNull();
    const third_ = await delayed(third.envelope_id, 1);

    expect(third_.body.recipients[0]).toMatchObject({
      outcome: 'transient',
      suppressed: 'soft_bounce',
    });
    const expires = await h.pool.query<{ days: number }>(
      `SELECT round(extract(epoch FROM expires_at - now()) / 86400) AS days FROM suppressions
       WHERE address_hash = $1 AND cause = 'soft_bounce'`,
      [addressHash(h.keyring, email)],
    );
    expect(Number(expires.rows[0]?.days)).toBe(7);
    const blocked = await postAppointment(h, { email });
    expect(stepOf(await runResult(h, blocked.workflowId))).toMatchObject({
      outcome: 'blocked',
      reason: 'suppressed_soft_bounce',
    });
  });

  it.each([
    [
      'not a DSN at all',
      `From: someone@example.net\r\nSubject: re: your mail\r\n\r\nI got mail for pat-q@example.org\r\n`,
      'not_delivery_report',
    ],
    [
      'a DSN whose recipient has no Status',
      dsn({
        envelopeId: 'nothing',
        recipients: [{ address: 'pat-q@example.org', action: 'failed' }],
      }),
      'delivery_status_unreadable',
    ],
    [
      'a DSN about a message Pathwell never sent',
      dsn({
        envelopeId: 'unknownref',
        recipients: [{ address: 'pat-q@example.org', action: 'failed', status: '5.1.1' }],
      }),
      'uncorrelated',
    ],
  ])('AC-BNC-4 quarantines %s, sealed, instead of dropping it', async (_label, body, reason) => {
    const answer = await post(body);

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'quarantined', reason });
    const stored = await h.pool.query<{ reason: string; content: Buffer }>(
      'SELECT reason, content FROM quarantined_reports WHERE id = $1',
      [answer.body.id],
    );
    expect(stored.rows[0]?.reason).toBe(reason);
    expect(stored.rows[0]?.content.toString('latin1')).not.toContain('pat-q@example.org');
    const audit = await h.pool.query(
      "SELECT 1 FROM audit_events WHERE reason = 'dsn_quarantined' AND details->>'quarantineId' = $1",
      [answer.body.id],
    );
    expect(audit.rowCount).toBe(1);
    expect(
      (await request(h.app).get('/api/suppressions').query({ address: 'pat-q@example.org' })).body,
    ).toEqual([]);
  });
});
