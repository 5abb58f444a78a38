import { randomBytes } from 'node:crypto';
import type { JourneyDocument } from '../../engine/journey/journey.schema.js';
import { type CompiledPlan, compileJourney } from '../../engine/plan/compile.js';
import type { Plan } from '../../engine/plan/plan.types.js';
import { AppError } from '../../engine/errors/app-error.js';
import { type Pool, type Queryable, withTransaction } from './pool.js';

/** A published, immutable journey version: what a run is pinned to. */
export interface JourneyVersion {
  id: string;
  journeyId: string;
  version: number;
  plan: Plan;
  planHash: string;
  publishedBy: string;
  publishedAt: string;
}

/** A new opaque id with a readable prefix (`j_…` journeys, `v_…` versions). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

/** Saves a new draft journey. */
export async function createJourney(db: Queryable, draft: JourneyDocument): Promise<string> {
  const id = newId('j');
  await db.query('INSERT INTO journeys (id, name, draft) VALUES ($1, $2, $3)', [
    id,
    draft.name,
    JSON.stringify(draft),
  ]);
  return id;
}

/**
 * Validates and compiles a journey's draft and freezes it as its next version, which new
 * events then start runs on. Runs already in flight keep the version they started on.
 *
 * @throws AppError `journey_not_found`, `journey_document_malformed` or `journey_invalid`
 */
export async function publishJourney(
  pool: Pool,
  journeyId: string,
  publishedBy: string,
): Promise<JourneyVersion> {
  return withTransaction(pool, async (client) => {
    const found = await client.query<{ draft: unknown }>(
      'SELECT draft FROM journeys WHERE id = $1 FOR UPDATE',
      [journeyId],
    );
    const row = found.rows[0];
    if (row === undefined) {
      throw new AppError('journey_not_found', `No journey has the id "${journeyId}".`);
    }
    const compiled: CompiledPlan = compileJourney(row.draft);
    const next = await client.query<{ version: number }>(
      'SELECT COALESCE(MAX(version), 0) + 1 AS version FROM journey_versions WHERE journey_id = $1',
      [journeyId],
    );
    const version = next.rows[0]?.version ?? 1;
    const id = newId('v');
    const eventType =
      compiled.plan.trigger.kind === 'event' ? compiled.plan.trigger.eventType : null;
    const inserted = await client.query<{ published_at: Date }>(
      `INSERT INTO journey_versions
         (id, journey_id, version, graph, plan, plan_hash, trigger_event_type, published_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING published_at`,
      [
        id,
        journeyId,
        version,
        JSON.stringify(row.draft),
        JSON.stringify(compiled.plan),
        compiled.hash,
        eventType,
        publishedBy,
      ],
    );
    await client.query(
      'UPDATE journeys SET published_version_id = $2, updated_at = now() WHERE id = $1',
      [journeyId, id],
    );
    return {
      id,
      journeyId,
      version,
      plan: compiled.plan,
      planHash: compiled.hash,
      publishedBy,
      publishedAt: (inserted.rows[0]?.published_at ?? new Date()).toISOString(),
    };
  });
}

/** The newest published version of every journey that an event type triggers. */
export async function publishedVersionsFor(
  db: Queryable,
  eventType: string,
): Promise<JourneyVersion[]> {
  const result = await db.query<VersionRow>(
    `${SELECT_VERSION} JOIN journeys j ON j.published_version_id = v.id
     WHERE v.trigger_event_type = $1 ORDER BY v.journey_id`,
    [eventType],
  );
  return result.rows.map(toVersion);
}

/** One version by id. */
export async function loadVersion(
  db: Queryable,
  versionId: string,
): Promise<JourneyVersion | undefined> {
  const result = await db.query<VersionRow>(`${SELECT_VERSION} WHERE v.id = $1`, [versionId]);
  const row = result.rows[0];
  return row === undefined ? undefined : toVersion(row);
}

/** How many journeys exist (drafts included). */
export async function countJourneys(db: Queryable): Promise<number> {
  const result = await db.query<{ count: string }>('SELECT count(*) AS count FROM journeys');
  return Number(result.rows[0]?.count ?? 0);
}

interface VersionRow {
  id: string;
  journey_id: string;
  version: number;
  plan: Plan;
  plan_hash: string;
  published_by: string;
  published_at: Date;
}

const SELECT_VERSION = `SELECT v.id, v.journey_id, v.version, v.plan, v.plan_hash, v.published_by,
  v.published_at FROM journey_versions v`;

function toVersion(row: VersionRow): JourneyVersion {
  return {
    id: row.id,
    journeyId: row.journey_id,
    version: row.version,
    plan: row.plan,
    planHash: row.plan_hash,
    publishedBy: row.published_by,
    publishedAt: row.published_at.toISOString(),
  };
}
