import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import {
  SUPPRESSION_CAUSES,
  SUPPRESSION_SCOPES,
} from '../../../engine/consent/suppression-scopes.js';
import { AppError } from '../../../engine/errors/app-error.js';
import { appendAudit } from '../../db/audit.store.js';
import { recordContactPoint } from '../../db/consent.store.js';
import { withTransaction } from '../../db/pool.js';
import { activeSuppressions, addSuppression, addressHash } from '../../db/suppressions.store.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';

const SuppressBody = z.object({
  address: z.email().max(254),
  scope: z.enum(SUPPRESSION_SCOPES),
  cause: z.enum(SUPPRESSION_CAUSES),
});
const LookupQuery = z.object({ address: z.email().max(254) });
const CsvRow = z.object({
  patient_id: z.uuid(),
  email: z.email().max(254),
  verified_at: z.union([z.literal(''), z.iso.datetime({ offset: true })]).optional(),
  unsubscribed: z.enum(['', 'yes', 'no', 'true', 'false']).optional(),
});
const PROBLEM = { contentType: 'application/problem+json', schema: ProblemSchema };
const ACTOR = { actorId: 'api', actorType: 'user' as const };

/**
 * Suppressions by address, and the contact-list CSV import. Nothing here can remove or weaken
 * a suppression: the import only adds contact points and suppressions, and says how many
 * existing suppressions it kept (COMPLIANCE.md AC-SUP-2).
 *
 * TODO: access control gates these routes (route.access) and names the caller as actor.
 */
export function suppressionRoutes(deps: ServerDeps): Route[] {
  return [
    {
      method: 'post',
      path: '/api/suppressions',
      summary: 'Suppress an address for a scope',
      tags: ['consent'],
      access: 'api',
      request: { body: SuppressBody },
      responses: {
        201: { description: 'Suppressed' },
        400: { description: 'Invalid', ...PROBLEM },
      },
      handler: async (req, res) => {
        const body = parseRequest(SuppressBody, req.body, 'body');
        const isNew = await withTransaction(deps.pool, async (client) => {
          const added = await addSuppression(client, deps.keyring, { ...body, source: 'api' });
          await appendAudit(client, {
            ...ACTOR,
            action: 'suppression.add',
            details: {
              scope: body.scope,
              cause: body.cause,
              addressHash: addressHash(deps.keyring, body.address),
              isNew: added,
            },
          });
          return added;
        });
        res.status(201).json({ scope: body.scope, cause: body.cause, isNew });
      },
    },
    {
      method: 'get',
      path: '/api/suppressions',
      summary: 'The suppressions in force for an address',
      tags: ['consent'],
      access: 'api',
      request: { query: LookupQuery },
      responses: { 200: { description: 'The suppressions' } },
      handler: async (req, res) => {
        const { address } = parseRequest(LookupQuery, req.query, 'query');
        res.json(await activeSuppressions(deps.pool, deps.keyring, address));
      },
    },
    {
      method: 'post',
      path: '/api/imports/contacts',
      summary:
        'Import a contact list (CSV: patient_id,email,verified_at,unsubscribed); never clears a suppression',
      tags: ['consent'],
      access: 'api',
      isRawBody: true,
      request: { contentTypes: ['text/csv'] },
      responses: {
        200: { description: 'Imported, with counts' },
        400: { description: 'Invalid CSV', ...PROBLEM },
      },
      handler: async (req, res) => {
        const rows = readCsv(req.body);
        const report = await withTransaction(deps.pool, async (client) => {
          const counts = {
            rows: rows.length,
            contactPoints: 0,
            suppressionsAdded: 0,
            suppressionsKept: 0,
          };
          for (const row of rows) {
            await recordContactPoint(client, deps.keyring, {
              patientId: row.patient_id,
              address: row.email,
              source: 'import',
              verifiedAt: row.verified_at === '' ? undefined : row.verified_at,
              recordedBy: ACTOR.actorId,
            });
            counts.contactPoints += 1;
            if (row.unsubscribed === 'yes' || row.unsubscribed === 'true') {
              const added = await addSuppression(client, deps.keyring, {
                address: row.email,
                scope: 'commercial',
                cause: 'import',
                source: 'csv_import',
                patientId: row.patient_id,
              });
              counts.suppressionsAdded += added ? 1 : 0;
            }
            counts.suppressionsKept +=
              (await activeSuppressions(client, deps.keyring, row.email)).length > 0 &&
              row.unsubscribed !== 'yes' &&
              row.unsubscribed !== 'true'
                ? 1
                : 0;
          }
          await appendAudit(client, { ...ACTOR, action: 'import.contacts', details: counts });
          return counts;
        });
        res.json(report);
      },
    },
  ];
}

function readCsv(body: unknown): Array<z.infer<typeof CsvRow>> {
  let records: Array<Record<string, string>>;
  try {
    records = parse(Buffer.isBuffer(body) ? body : Buffer.alloc(0), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new AppError(
      'csv_invalid',
      'The body is not CSV with a header line (patient_id,email,verified_at,unsubscribed).',
      { cause: error },
    );
  }
  const issues: Array<{ code: string; message: string; field: string }> = [];
  const rows = records.flatMap((record, index) => {
    const parsed = CsvRow.safeParse({
      ...record,
      unsubscribed: record.unsubscribed?.toLowerCase(),
    });
    if (parsed.success) {
      return [parsed.data];
    }
    // Line numbers count the header; the values themselves are PHI and are not repeated.
    for (const issue of parsed.error.issues) {
      issues.push({
        code: 'csv_invalid',
        message: `Line ${index + 2}, column ${issue.path.join('.')}: ${issue.message}`,
        field: `line.${index + 2}.${issue.path.join('.')}`,
      });
    }
    return [];
  });
  if (issues.length > 0) {
    throw new AppError(
      'csv_invalid',
      `The CSV has ${issues.length} problem(s); nothing was imported.`,
      { issues },
    );
  }
  return rows;
}
