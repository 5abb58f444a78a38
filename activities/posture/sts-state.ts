import { parseStsPolicy, parseStsRecord } from '../../engine/protection/mta-sts.js';
import type { StsState } from '../../engine/protection/recipient-posture.js';
import type { Queryable } from '../../server/db/pool.js';
import { findStsPolicy, saveStsPolicy } from '../../server/db/postures.store.js';
import { fetchStsPolicy, type PolicyFetchOptions } from './fetch-sts-policy.js';

/**
 * A domain's MTA-STS state now (RFC 8461 §5.1): the `_mta-sts` TXT id says whether a policy
 * exists and whether the cached one is current; a new id fetches the policy again. A fetch that
 * fails, or a body that does not parse, leaves a cached, unexpired policy in force (AC-STS-3),
 * and so does a TXT record that went missing (stripping it must not switch enforcement off).
 */
export async function stsStateOf(
  db: Queryable,
  domain: string,
  options: PolicyFetchOptions,
  now: string,
): Promise<StsState> {
  const cached = await findStsPolicy(db, domain);
  const fromCache = (failure?: string): StsState => ({
    ...(cached === undefined ? {} : { policy: cached.policy, isFromCache: true }),
    ...(failure === undefined ? {} : { failure }),
  });

  let id: string | undefined;
  try {
    id = parseStsRecord(await options.dns.txt(`_mta-sts.${domain}`));
  } catch {
    return fromCache();
  }
  if (id === undefined) {
    return fromCache();
  }
  if (cached !== undefined && cached.policyId === id) {
    return { policy: cached.policy };
  }

  const fetched = await fetchStsPolicy(domain, options);
  if (!fetched.ok) {
    return fromCache(fetched.resultType);
  }
  const parsed = parseStsPolicy(fetched.body);
  if (!parsed.ok) {
    return fromCache('sts-policy-invalid');
  }
  await saveStsPolicy(db, domain, { policyId: id, policy: parsed.policy, fetchedAt: now });
  return { policy: parsed.policy };
}
