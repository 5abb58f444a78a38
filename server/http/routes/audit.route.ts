import type { Response } from 'express';
import { z } from 'zod';
import { latestCheckpoint, writeCheckpoint } from '../../audit/audit-checkpoint.js';
import { type AuditFilter, queryAudit } from '../../audit/audit-rows.js';
import { verifyAudit } from '../../audit/verify-audit.js';
import type { AuditRow } from '../../db/audit.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';

const Instant = z.iso.datetime({ offset: true });
const FilterQuery = z.object({
  patientId: z.uuid().optional(),
  journeyId: z.string().min(1).optional(),
  workflowId: z.string().min(1).optional(),
  messageId: z.string().min(1).optional(),
  decision: z.enum(['allowed', 'blocked', 'deferred']).optional(),
  reason: z.string().min(1).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
});
const ListQuery = FilterQuery.extend({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const ExportQuery = FilterQuery.extend({ format: z.enum(['jsonl', 'csv']).default('jsonl') });
const CSV_COLUMNS = [
  'seq',
  'id',
  'ts',
  'actorId',
  'actorType',
  'action',
  'decision',
  'reason',
  'patientId',
  'journeyId',
  'versionId',
  'workflowId',
  'stepId',
  'messageId',
  'purpose',
  'method',
  'recipientDomain',
  'details',
  'prevHash',
  'hash',
] as const;

/**
 * The audit trail for compliance officers: query with filters and keyset paging, export as
 * JSONL or CSV (streamed in pages), the evidence of one message, and chain verification.
 * Rows hold references and reason codes only, so none of these answers carries an address.
 *
 * TODO: access control restricts these routes to auditors (route.access).
 */
export function auditRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'get',
      path: '/api/audit',
      summary: 'Audit events by patient, journey, run, message, decision, reason and time',
      tags: ['audit'],
      access: 'api',
      request: { query: ListQuery },
      responses: {
        200: { description: 'A page of events, oldest first, and the next page cursor' },
      },
      handler: async (req, res) => {
        const { afterSeq, limit, ...filter } = parseRequest(ListQuery, req.query, 'query');
        const events = await queryAudit(deps.pool, filter, { afterSeq, limit });
        const last = events.at(-1);
        res.json({
          events,
          nextAfterSeq: events.length === limit && last !== undefined ? last.seq : null,
        });
      },
    },
    {
      method: 'get',
      path: '/api/audit/export',
      summary: 'Export audit events as JSONL or CSV',
      tags: ['audit'],
      access: 'api',
      request: { query: ExportQuery },
      responses: { 200: { description: 'The events, one per line' } },
      handler: async (req, res) => {
        const { format, ...filter } = parseRequest(ExportQuery, req.query, 'query');
        await exportAudit(deps, res, filter, format);
      },
    },
    {
      method: 'get',
      path: '/api/messages/:messageId/evidence',
      summary: 'Who, why, which consent, how protected and what the peer answered, for one message',
      tags: ['audit'],
      access: 'api',
      request: { params: z.object({ messageId: z.string().min(3) }) },
      responses: { 200: { description: 'The evidence' } },
      handler: async (req, res) => {
        const { messageId } = parseRequest(
          z.object({ messageId: z.string().min(3) }),
          req.params,
          'params',
        );
        const events = await queryAudit(deps.pool, { messageId }, { afterSeq: 0, limit: 1_000 });
        const delivery = await deps.pool.query<Record<string, unknown>>(
          `SELECT state, method, reason, attempts, resent_after_unknown, recipient_domain, recipient_hash,
             mime_sha256, smtp_code, tls, envelope_id, created_at, updated_at
           FROM deliveries WHERE message_id = $1`,
          [messageId],
        );
        res.json({ messageId, delivery: delivery.rows[0] ?? null, events });
      },
    },
    {
      method: 'get',
      path: '/api/audit/verify',
      summary: 'Verify the audit chain against its last signed checkpoint, then checkpoint it',
      tags: ['audit'],
      access: 'api',
      responses: { 200: { description: 'The verification report (ok: false names each fault)' } },
      handler: async (_req, res) => {
        const report = await verifyAudit(
          deps.pool,
          await latestCheckpoint(deps.pool, deps.keyring),
        );
        // Only a chain that verified is vouched for by a new checkpoint.
        const checkpoint = report.ok ? await writeCheckpoint(deps.pool, deps.keyring) : null;
        res.json({ ...report, newCheckpoint: checkpoint });
      },
    },
    {
      method: 'get',
      path: '/api/audit/checkpoints/latest',
      summary: 'The newest signed checkpoint of the audit chain, to keep outside the database',
      tags: ['audit'],
      access: 'api',
      responses: { 200: { description: 'The checkpoint with its verifying key' } },
      handler: async (_req, res) => {
        res.json((await latestCheckpoint(deps.pool, deps.keyring)) ?? null);
      },
    },
  ];
}

async function exportAudit(
  deps: ServerDeps,
  res: Response,
  filter: AuditFilter,
  format: 'jsonl' | 'csv',
): Promise<void> {
  res.status(200).type(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
  res.setHeader('Content-Disposition', `attachment; filename="audit.${format}"`);
  if (format === 'csv') {
    res.write(`${CSV_COLUMNS.join(',')}\n`);
  }
  for (let afterSeq = 0; ; ) {
    const events = await queryAudit(deps.pool, filter, { afterSeq, limit: 1_000 });
    for (const event of events) {
      res.write(format === 'csv' ? `${csvLine(event)}\n` : `${JSON.stringify(event)}\n`);
    }
    const last = events.at(-1);
    if (events.length < 1_000 || last === undefined) {
      break;
    }
    afterSeq = last.seq;
  }
  res.end();
}

function csvLine(event: AuditRow): string {
  return CSV_COLUMNS.map((column) => {
    const value = event[column];
    const text =
      value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',');
}
