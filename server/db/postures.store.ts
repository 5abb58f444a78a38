import type { MtaStsPolicy } from '../../engine/protection/mta-sts.js';
import type { PostureRecord } from '../../engine/protection/recipient-posture.js';
import type { Queryable } from './pool.js';

/** The cached capability record of a domain, unless it has expired. */
export async function findPosture(
  db: Queryable,
  domain: string,
): Promise<PostureRecord | undefined> {
  const result = await db.query<{ record: PostureRecord }>(
    'SELECT record FROM recipient_postures WHERE domain = $1 AND expires_at > now()',
    [domain],
  );
  return result.rows[0]?.record;
}

/**
 * Stores a domain's capability record, replacing the previous one: a probe's, or what a
 * delivery observed when it contradicted the cache (a downgrade, AC-ENC-1).
 */
export async function savePosture(db: Queryable, record: PostureRecord): Promise<void> {
  await db.query(
    `INSERT INTO recipient_postures (domain, transport, record, checked_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (domain) DO UPDATE SET transport = EXCLUDED.transport,
       record = EXCLUDED.record, checked_at = EXCLUDED.checked_at,
       expires_at = EXCLUDED.expires_at`,
    [record.domain, record.transport, JSON.stringify(record), record.checkedAt, record.expiresAt],
  );
}

/** A cached MTA-STS policy with the TXT id it was fetched under. */
export interface CachedStsPolicy {
  policyId: string;
  policy: MtaStsPolicy;
  fetchedAt: string;
  expiresAt: string;
}

/** The cached, unexpired MTA-STS policy of a domain. */
export async function findStsPolicy(
  db: Queryable,
  domain: string,
): Promise<CachedStsPolicy | undefined> {
  const result = await db.query<{
    policy_id: string;
    policy: MtaStsPolicy;
    fetched_at: Date;
    expires_at: Date;
  }>(
    `SELECT policy_id, policy, fetched_at, expires_at FROM mta_sts_policies
     WHERE domain = $1 AND expires_at > now()`,
    [domain],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        policyId: row.policy_id,
        policy: row.policy,
        fetchedAt: row.fetched_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
      };
}

/** Caches a freshly fetched policy for its max_age. */
export async function saveStsPolicy(
  db: Queryable,
  domain: string,
  entry: { policyId: string; policy: MtaStsPolicy; fetchedAt: string },
): Promise<void> {
  const expiresAt = new Date(Date.parse(entry.fetchedAt) + entry.policy.maxAge * 1000);
  await db.query(
    `INSERT INTO mta_sts_policies (domain, policy_id, policy, fetched_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (domain) DO UPDATE SET policy_id = EXCLUDED.policy_id,
       policy = EXCLUDED.policy, fetched_at = EXCLUDED.fetched_at,
       expires_at = EXCLUDED.expires_at`,
    [domain, entry.policyId, JSON.stringify(entry.policy), entry.fetchedAt, expiresAt],
  );
}
