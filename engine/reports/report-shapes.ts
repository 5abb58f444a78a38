// The shapes of the reports API's answers: the server builds them and the builder reads them,
// so both take them from here. Counts and codes only, never PHI.

/** What one node of a journey version did across its runs. Counts and codes only. */
export interface NodeReport {
  nodeId: string;
  kind: string;
  /** Runs that reached the node (and were recorded leaving it). */
  entered: number;
  /** Runs that went on from it (a send that was not blocked). */
  passed: number;
  blocked: number;
  blockedByReason: Record<string, number>;
  /** Messages the peer accepted, by protection method. */
  sentByMethod: Record<string, number>;
  accepted: number;
  /** Messages refused with 5xx at send time, or reported bounced (DSN) afterwards. */
  bounced: number;
  unsubscribed: number;
}

/** A journey version's report, node by node. */
export interface VersionReport {
  versionId: string;
  runs: number;
  nodes: NodeReport[];
}

/** How messages to one recipient domain went. */
export interface DomainReport {
  domain: string;
  messages: number;
  tls: number;
  portal: number;
  pgp: number;
  blocked: number;
  bounced: number;
  /** Bounced over messages handed to a peer (accepted or refused), 0 when none was. */
  bounceRate: number;
}
