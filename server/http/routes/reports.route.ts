import { z } from 'zod';
import { AppError } from '../../../engine/errors/app-error.js';
import { loadVersion } from '../../db/journeys.store.js';
import { csvRow } from '../../reports/csv.js';
import { domainReport, versionReport } from '../../reports/journey-report.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import type { Route } from '../route.js';
import { problem } from './journey-schemas.js';

const FormatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
const VersionParams = z.object({ versionId: z.string().min(1).max(200) });
const DomainQuery = FormatQuery.extend({
  journeyId: z.string().min(1).max(200).optional(),
  versionId: z.string().min(1).max(200).optional(),
});

const Counts = z.record(z.string(), z.number());
const NodeReportSchema = z.object({
  nodeId: z.string(),
  kind: z.string(),
  entered: z.number(),
  passed: z.number(),
  blocked: z.number(),
  blockedByReason: Counts,
  sentByMethod: Counts,
  accepted: z.number(),
  bounced: z.number(),
  unsubscribed: z.number(),
});
const DomainReportSchema = z.object({
  domain: z.string(),
  messages: z.number(),
  tls: z.number(),
  portal: z.number(),
  pgp: z.number(),
  blocked: z.number(),
  bounced: z.number(),
  bounceRate: z.number(),
});

/**
 * Reports for operators and designers: per journey version and node, and per recipient
 * domain, as JSON or CSV. Counts and codes only; a domain is the part after the `@`.
 */
export function reportRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'get',
      path: '/api/reports/versions/:versionId',
      summary: 'Per node of a journey version: entered, passed, blocked, sent, bounced, …',
      tags: ['reports'],
      access: 'api',
      request: { params: VersionParams, query: FormatQuery },
      responses: {
        200: {
          description: 'The report (`?format=csv`: one row per node)',
          schema: z.object({
            versionId: z.string(),
            runs: z.number(),
            nodes: z.array(NodeReportSchema),
          }),
        },
        404: problem('No version has that id'),
      },
      handler: async (req, res) => {
        const { versionId } = parseRequest(VersionParams, req.params, 'path');
        const { format } = parseRequest(FormatQuery, req.query, 'query');
        if ((await loadVersion(deps.pool, versionId)) === undefined) {
          throw new AppError('version_not_found', `No journey version has the id "${versionId}".`);
        }
        const report = await versionReport(deps.pool, versionId);
        if (format === 'json') {
          res.json(report);
          return;
        }
        const header =
          'node_id,kind,entered,passed,blocked,blocked_by_reason,sent_by_method,accepted,bounced,unsubscribed';
        const rows = report.nodes.map((node) =>
          csvRow([
            node.nodeId,
            node.kind,
            node.entered,
            node.passed,
            node.blocked,
            node.blockedByReason,
            node.sentByMethod,
            node.accepted,
            node.bounced,
            node.unsubscribed,
          ]),
        );
        sendCsv(res, `version-${versionId.replace(/[^A-Za-z0-9_-]/g, '_')}.csv`, [header, ...rows]);
      },
    },
    {
      method: 'get',
      path: '/api/reports/domains',
      summary: 'Per recipient domain: TLS, portal, PGP, blocked, bounce rate',
      tags: ['reports'],
      access: 'api',
      request: { query: DomainQuery },
      responses: {
        200: {
          description: 'The report (`?format=csv`: one row per domain)',
          schema: z.object({ domains: z.array(DomainReportSchema) }),
        },
      },
      handler: async (req, res) => {
        const { format, ...scope } = parseRequest(DomainQuery, req.query, 'query');
        const domains = await domainReport(deps.pool, scope);
        if (format === 'json') {
          res.json({ domains });
          return;
        }
        const header = 'domain,messages,tls,portal,pgp,blocked,bounced,bounce_rate';
        const rows = domains.map((row) =>
          csvRow([
            row.domain,
            row.messages,
            row.tls,
            row.portal,
            row.pgp,
            row.blocked,
            row.bounced,
            row.bounceRate.toFixed(4),
          ]),
        );
        sendCsv(res, 'domains.csv', [header, ...rows]);
      },
    },
  ];
}

function sendCsv(res: Parameters<Route['handler']>[1], filename: string, lines: string[]): void {
  res
    .status(200)
    .type('text/csv')
    .set('content-disposition', `attachment; filename="${filename}"`)
    .send(`${lines.join('\n')}\n`);
}
