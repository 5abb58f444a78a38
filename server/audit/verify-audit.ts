import { type AuditRow, auditRowHash } from '../db/audit.store.js';
import type { Queryable } from '../db/pool.js';
import { type AuditCheckpoint, isCheckpointSigned } from './audit-checkpoint.js';
import { type AuditDbRow, toAuditRow } from './audit-rows.js';

/** One fault the verification found. */
export interface AuditFault {
  kind:
    | 'row_altered'
    | 'chain_broken'
    | 'sequence_gap'
    | 'head_mismatch'
    | 'checkpoint_signature_invalid'
    | 'checkpoint_rows_missing';
  seq: number;
  message: string;
}

/** What `pathwell audit verify` and `GET /api/audit/verify` report. */
export interface AuditVerification {
  ok: boolean;
  rowCount: number;
  head: { seq: number; hash: string };
  checkpoint: { seq: number; rowCount: number; signedAt: string } | null;
  faults: AuditFault[];
}

const BATCH = 5_000;

/**
 * Walks the whole chain: every row's hash is recomputed (an altered row fails), every row must
 * name its predecessor's hash (an inserted or removed row breaks the chain), seqs must run
 * without gaps, the head table must name the last row, and the last signed checkpoint must
 * still be in the chain with at least as many rows (deleted newest rows fail).
 */
export async function verifyAudit(
  db: Queryable,
  checkpoint: AuditCheckpoint | undefined,
): Promise<AuditVerification> {
  const faults: AuditFault[] = [];
  let previous: AuditRow | undefined;
  let rowCount = 0;
  let checkpointRow: AuditRow | undefined;
  for (let after = 0; ; ) {
    const result = await db.query<AuditDbRow>(
      'SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, BATCH],
    );
    for (const dbRow of result.rows) {
      const row = toAuditRow(dbRow);
      checkRow(row, previous, faults);
      if (checkpoint !== undefined && row.seq === checkpoint.seq) {
        checkpointRow = row;
      }
      previous = row;
      rowCount += 1;
    }
    if (result.rows.length < BATCH) {
      break;
    }
    after = previous?.seq ?? after;
  }

  const head = await db.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM audit_head WHERE id = 1',
  );
  const headSeq = Number(head.rows[0]?.seq ?? 0);
  const headHash = head.rows[0]?.hash ?? '';
  if (headSeq !== (previous?.seq ?? 0) || (previous !== undefined && headHash !== previous.hash)) {
    faults.push({
      kind: 'head_mismatch',
      seq: headSeq,
      message: `The chain head names row ${headSeq}, but the newest row is ${previous?.seq ?? 0}: rows were removed or the head rewritten.`,
    });
  }
  if (checkpoint !== undefined) {
    checkCheckpoint(checkpoint, checkpointRow, rowCount, faults);
  }
  return {
    ok: faults.length === 0,
    rowCount,
    head: { seq: headSeq, hash: headHash },
    checkpoint:
      checkpoint === undefined
        ? null
        : { seq: checkpoint.seq, rowCount: checkpoint.rowCount, signedAt: checkpoint.signedAt },
    faults,
  };
}

function checkRow(row: AuditRow, previous: AuditRow | undefined, faults: AuditFault[]): void {
  const { hash, ...content } = row;
  if (auditRowHash(content) !== hash) {
    faults.push({
      kind: 'row_altered',
      seq: row.seq,
      message: `Row ${row.seq} does not match its hash: it was altered.`,
    });
  }
  const expectedSeq = (previous?.seq ?? 0) + 1;
  if (row.seq !== expectedSeq) {
    faults.push({
      kind: 'sequence_gap',
      seq: row.seq,
      message: `Row ${row.seq} follows row ${previous?.seq ?? 0}: rows ${expectedSeq} to ${row.seq - 1} are missing.`,
    });
  }
  const expectedPrev = previous?.hash ?? '0'.repeat(64);
  if (row.prevHash !== expectedPrev) {
    faults.push({
      kind: 'chain_broken',
      seq: row.seq,
      message: `Row ${row.seq} does not chain to the row before it: a row was inserted, removed or replaced.`,
    });
  }
}

function checkCheckpoint(
  checkpoint: AuditCheckpoint,
  row: AuditRow | undefined,
  rowCount: number,
  faults: AuditFault[],
): void {
  if (!isCheckpointSigned(checkpoint)) {
    faults.push({
      kind: 'checkpoint_signature_invalid',
      seq: checkpoint.seq,
      message: 'The checkpoint signature does not verify: it was not signed by this installation.',
    });
    return;
  }
  const isEmptyCheckpoint = checkpoint.seq === 0;
  if ((!isEmptyCheckpoint && row?.hash !== checkpoint.hash) || rowCount < checkpoint.rowCount) {
    faults.push({
      kind: 'checkpoint_rows_missing',
      seq: checkpoint.seq,
      message: `The checkpoint of ${checkpoint.signedAt} vouches for ${checkpoint.rowCount} rows ending at row ${checkpoint.seq}; the chain no longer holds them.`,
    });
  }
}
