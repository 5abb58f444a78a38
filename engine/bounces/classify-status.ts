/**
 * What an SMTP failure means for the address (RFC 3463 classes, COMPLIANCE.md §5.2):
 * `hard_bounce` (5.1.x: the mailbox or domain does not exist; suppress the address),
 * `policy` (5.7.x: TLS or policy refusal; re-route, never suppress the patient), `transient`
 * (4.x.x: retry with backoff), `permanent` (any other 5xx: the message failed, the address
 * stays usable).
 */
export type BounceClass = 'hard_bounce' | 'policy' | 'transient' | 'permanent';

/**
 * Classifies an SMTP reply or a DSN status.
 *
 * @param status - an RFC 3463 enhanced status (`5.1.1`), when the peer gave one
 * @param code - the basic reply code (`550`), when known
 */
export function classifyBounce(status: string | undefined, code: number | undefined): BounceClass {
  const match = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(status ?? '');
  if (match !== null) {
    const [, klass, subject] = match;
    if (klass === '4' || klass === '2') {
      return 'transient';
    }
    if (subject === '1') {
      return 'hard_bounce';
    }
    return subject === '7' ? 'policy' : 'permanent';
  }
  if (code !== undefined && code >= 400 && code < 500) {
    return 'transient';
  }
  // 550 and 553 without an enhanced status are, in practice, unknown mailboxes; 554 is policy.
  if (code === 550 || code === 553) {
    return 'hard_bounce';
  }
  return code === 554 ? 'policy' : 'permanent';
}
