import type { BounceClass } from '../../engine/bounces/classify-status.js';
import {
  type AddressBounce,
  DEFAULT_SOFT_BOUNCE_POLICY,
  softBounceSuppression,
} from '../../engine/bounces/soft-bounce-rule.js';
import type { Keyring } from '../crypto/keyring.js';
import { recentBounceEvents, recordBounceEvent } from '../db/bounces.store.js';
import type { Queryable } from '../db/pool.js';
import { addSuppression, addressHash } from '../db/suppressions.store.js';

/** What a recorded outcome did to the address. */
export type OutcomeEffect =
  | { suppressed: 'hard_bounce' }
  | { suppressed: 'soft_bounce'; until: string; messages: number }
  | { suppressed: null };

/** One outcome for one address: an SMTP answer in direct mode, or a DSN recipient. */
export interface AddressOutcome {
  address: string;
  outcome: BounceClass | 'delivered';
  status: string | null;
  source: 'dsn' | 'smtp';
  messageId: string | null;
  patientId?: string | undefined;
  occurredAt: string;
}

const KIND: Record<AddressOutcome['outcome'], AddressBounce['kind']> = {
  hard_bounce: 'hard',
  transient: 'soft',
  policy: 'policy',
  permanent: 'permanent',
  delivered: 'delivered',
};

/**
 * Records what happened to mail for an address and applies the suppression rules, the same for
 * SMTP answers and DSNs (COMPLIANCE.md §5.2): a 5.1.x suppresses the address for every purpose
 * (AC-BNC-1); soft bounces of enough messages over the window suppress it for a while
 * (AC-BNC-2); a 5.7.x policy refusal never suppresses the patient (AC-BNC-3).
 */
export async function recordAddressOutcome(
  db: Queryable,
  keyring: Keyring,
  entry: AddressOutcome,
): Promise<OutcomeEffect> {
  const hash = addressHash(keyring, entry.address);
  await recordBounceEvent(db, {
    addressHash: hash,
    messageId: entry.messageId,
    kind: KIND[entry.outcome],
    status: entry.status,
    source: entry.source,
    occurredAt: entry.occurredAt,
  });
  const suppression = {
    address: entry.address,
    scope: 'global' as const,
    source: entry.source,
    patientId: entry.patientId,
    messageId: entry.messageId ?? undefined,
  };

  if (entry.outcome === 'hard_bounce') {
    await addSuppression(db, keyring, { ...suppression, cause: 'hard_bounce' });
    return { suppressed: 'hard_bounce' };
  }
  if (entry.outcome !== 'transient') {
    return { suppressed: null };
  }
  const soft = softBounceSuppression(
    await recentBounceEvents(db, hash),
    DEFAULT_SOFT_BOUNCE_POLICY,
  );
  if (soft === undefined || Date.parse(soft.until) <= Date.now()) {
    return { suppressed: null };
  }
  await addSuppression(db, keyring, {
    ...suppression,
    cause: 'soft_bounce',
    expiresAt: soft.until,
  });
  return { suppressed: 'soft_bounce', until: soft.until, messages: soft.messages };
}
