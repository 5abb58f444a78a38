import type {
  DomainReport,
  NodeReport,
  VersionReport,
} from '../../engine/reports/report-shapes.js';
import type { Queryable } from '../db/pool.js';

export type { DomainReport, NodeReport, VersionReport };

// Runs are counted on the version they run on now: a run replayed on a newer version moves
// there with its earlier steps.
const VERSION_RUNS = 'SELECT workflow_id FROM runs WHERE version_id = $1';

/** Counts a version's runs per node from the run records, the ledger, bounces and unsubscribes. */
export async function versionReport(db: Queryable, versionId: string): Promise<VersionReport> {
  const runs = await db.query<{ count: string }>(
    'SELECT count(*) AS count FROM runs WHERE version_id = $1',
    [versionId],
  );
  const steps = await db.query<{
    step_id: string;
    kind: string;
    outcome: string;
    reason: string | null;
    count: string;
  }>(
    `SELECT step_id, kind, outcome, reason, count(DISTINCT workflow_id) AS count FROM run_steps
     WHERE workflow_id IN (${VERSION_RUNS}) GROUP BY step_id, kind, outcome, reason`,
    [versionId],
  );
  const sends = await db.query<{ step_id: string; method: string | null; count: string }>(
    `SELECT step_id, method, count(*) AS count FROM deliveries
     WHERE workflow_id IN (${VERSION_RUNS}) AND state = 'accepted' GROUP BY step_id, method`,
    [versionId],
  );
  const bounced = await db.query<{ step_id: string; count: string }>(
    `SELECT d.step_id, count(DISTINCT d.message_id) AS count FROM deliveries d
     WHERE d.workflow_id IN (${VERSION_RUNS}) AND (d.state = 'rejected' OR EXISTS (
       SELECT 1 FROM bounce_events b WHERE b.message_id = d.message_id
         AND b.kind IN ('soft', 'hard', 'permanent')))
     GROUP BY d.step_id`,
    [versionId],
  );
  const unsubscribed = await db.query<{ step_id: string; count: string }>(
    `SELECT d.step_id, count(DISTINCT u.message_id) AS count FROM unsubscribe_tokens u
     JOIN deliveries d ON d.message_id = u.message_id
     WHERE d.workflow_id IN (${VERSION_RUNS}) AND u.used_at IS NOT NULL GROUP BY d.step_id`,
    [versionId],
  );

  const nodes = new Map<string, NodeReport>();
  const nodeOf = (nodeId: string, kind = 'send.email'): NodeReport => {
    const known = nodes.get(nodeId);
    if (known !== undefined) {
      return known;
    }
    const fresh: NodeReport = {
      nodeId,
      kind,
      entered: 0,
      passed: 0,
      blocked: 0,
      blockedByReason: {},
      sentByMethod: {},
      accepted: 0,
      bounced: 0,
      unsubscribed: 0,
    };
    nodes.set(nodeId, fresh);
    return fresh;
  };
  for (const row of steps.rows) {
    const node = nodeOf(row.step_id, row.kind);
    const count = Number(row.count);
    node.entered += count;
    if (row.outcome === 'blocked') {
      node.blocked += count;
      const reason = row.reason ?? 'unknown';
      node.blockedByReason[reason] = (node.blockedByReason[reason] ?? 0) + count;
    } else {
      node.passed += count;
    }
  }
  for (const row of sends.rows) {
    const node = nodeOf(row.step_id);
    node.sentByMethod[row.method ?? 'unknown'] = Number(row.count);
    node.accepted += Number(row.count);
  }
  for (const row of bounced.rows) {
    nodeOf(row.step_id).bounced = Number(row.count);
  }
  for (const row of unsubscribed.rows) {
    nodeOf(row.step_id).unsubscribed = Number(row.count);
  }
  return {
    versionId,
    runs: Number(runs.rows[0]?.count ?? 0),
    nodes: [...nodes.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
  };
}

/** Messages per recipient domain, optionally for one journey (or one version) only. */
export async function domainReport(
  db: Queryable,
  scope: { journeyId?: string | undefined; versionId?: string | undefined },
): Promise<DomainReport[]> {
  const result = await db.query<{
    domain: string;
    messages: string;
    tls: string;
    portal: string;
    pgp: string;
    blocked: string;
    handed: string;
    bounced: string;
  }>(
    `SELECT d.recipient_domain AS domain, count(*) AS messages,
       count(*) FILTER (WHERE d.state = 'accepted' AND d.method LIKE 'tls%') AS tls,
       count(*) FILTER (WHERE d.state = 'accepted' AND d.method = 'portal') AS portal,
       count(*) FILTER (WHERE d.state = 'accepted' AND d.method = 'pgp') AS pgp,
       count(*) FILTER (WHERE d.state = 'blocked') AS blocked,
       count(*) FILTER (WHERE d.state IN ('accepted', 'rejected')) AS handed,
       count(*) FILTER (WHERE d.state = 'rejected' OR EXISTS (
         SELECT 1 FROM bounce_events b WHERE b.message_id = d.message_id
           AND b.kind IN ('soft', 'hard', 'permanent'))) AS bounced
     FROM deliveries d JOIN runs r ON r.workflow_id = d.workflow_id
     WHERE d.recipient_domain IS NOT NULL
       AND ($1::text IS NULL OR r.journey_id = $1) AND ($2::text IS NULL OR r.version_id = $2)
     GROUP BY d.recipient_domain ORDER BY d.recipient_domain`,
    [scope.journeyId ?? null, scope.versionId ?? null],
  );
  return result.rows.map((row) => ({
    domain: row.domain,
    messages: Number(row.messages),
    tls: Number(row.tls),
    portal: Number(row.portal),
    pgp: Number(row.pgp),
    blocked: Number(row.blocked),
    bounced: Number(row.bounced),
    bounceRate: Number(row.handed) === 0 ? 0 : Number(row.bounced) / Number(row.handed),
  }));
}
