import type { VersionReport } from '../api/client.js';

/** What the canvas shows on a node about the real runs of the published version. */
export interface NodeCounts {
  /** Runs that reached the node. */
  entered: number;
  /** Messages the peer accepted, whatever the protection method. */
  sent: number;
  blocked: number;
  /** Blocked runs by reason code (codes only, never anything about a patient). */
  blockedByReason: Readonly<Record<string, number>>;
}

/** The report's nodes as counts per node id; nodes no run reached are absent. */
export function countsByNode(report: VersionReport): Map<string, NodeCounts> {
  const byNode = new Map<string, NodeCounts>();
  for (const node of report.nodes) {
    const sent = Object.values(node.sentByMethod).reduce((sum, count) => sum + count, 0);
    byNode.set(node.nodeId, {
      entered: node.entered,
      sent,
      blocked: node.blocked,
      blockedByReason: node.blockedByReason,
    });
  }
  return byNode;
}

/** The compact line a node shows: "entered 3 · sent 2 · blocked 1". */
export function countsLine(counts: NodeCounts, showsSends: boolean): string {
  const parts = [`entered ${counts.entered}`];
  if (showsSends || counts.sent > 0) {
    parts.push(`sent ${counts.sent}`);
  }
  if (counts.blocked > 0) {
    parts.push(`blocked ${counts.blocked}`);
  }
  return parts.join(' · ');
}

/** The blocked reasons in words, for the node's title and accessible description. */
export function blockedReasons(counts: NodeCounts): string {
  const reasons = Object.entries(counts.blockedByReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${reason} ${count}`);
  return reasons.length === 0 ? 'Nothing blocked' : `Blocked: ${reasons.join(', ')}`;
}

/** Whether two counts say the same, so an unchanged node keeps its overlay entry. */
export function isSameCounts(a: NodeCounts | null, b: NodeCounts | null): boolean {
  if (a === null || b === null) {
    return a === b;
  }
  const reasonsA = Object.entries(a.blockedByReason);
  return (
    a.entered === b.entered &&
    a.sent === b.sent &&
    a.blocked === b.blocked &&
    reasonsA.length === Object.keys(b.blockedByReason).length &&
    reasonsA.every(([reason, count]) => b.blockedByReason[reason] === count)
  );
}
