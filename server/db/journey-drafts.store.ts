import type { JourneyDocument } from '../../engine/journey/journey.schema.js';
import type { Plan } from '../../engine/plan/plan.types.js';
import type { Queryable } from './pool.js';

/** Whether a journey runs: never published, published now, or published once and withdrawn. */
export type JourneyStatus = 'draft' | 'published' | 'unpublished';

/** A version as lists show it: who published it, when, and its plan's hash. */
export interface VersionSummary {
  id: string;
  version: number;
  planHash: string;
  publishedBy: string;
  publishedAt: string;
}

/** A journey as the API lists it. */
export interface JourneyRow {
  id: string;
  name: string;
  status: JourneyStatus;
  /** The draft as saved: well-formed, possibly breaking rules. */
  draft: JourneyDocument;
  publishedVersion: VersionSummary | null;
  latestVersion: number | null;
  /** The draft differs from the version that runs (or from the last one published). */
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
}

const SELECT_JOURNEY = `
  SELECT j.id, j.name, j.draft, j.created_at, j.updated_at,
         p.id AS p_id, p.version AS p_version, p.plan_hash AS p_hash,
         p.published_by AS p_by, p.published_at AS p_at,
         latest.version AS latest_version, latest.graph = j.draft AS latest_is_draft
  FROM journeys j
  LEFT JOIN journey_versions p ON p.id = j.published_version_id
  LEFT JOIN LATERAL (
    SELECT v.version, v.graph FROM journey_versions v
    WHERE v.journey_id = j.id ORDER BY v.version DESC LIMIT 1
  ) latest ON true`;

interface JourneyDbRow {
  id: string;
  name: string;
  draft: JourneyDocument;
  created_at: Date;
  updated_at: Date;
  p_id: string | null;
  p_version: number | null;
  p_hash: string | null;
  p_by: string | null;
  p_at: Date | null;
  latest_version: number | null;
  latest_is_draft: boolean | null;
}

/** Every journey, newest change first. */
export async function listJourneys(db: Queryable): Promise<JourneyRow[]> {
  const result = await db.query<JourneyDbRow>(`${SELECT_JOURNEY} ORDER BY j.updated_at DESC, j.id`);
  return result.rows.map(toJourney);
}

/** One journey, or `undefined`. */
export async function findJourney(db: Queryable, id: string): Promise<JourneyRow | undefined> {
  const result = await db.query<JourneyDbRow>(`${SELECT_JOURNEY} WHERE j.id = $1`, [id]);
  const row = result.rows[0];
  return row === undefined ? undefined : toJourney(row);
}

/**
 * Replaces a journey's draft; published versions are untouched.
 *
 * @returns whether the journey exists
 */
export async function saveDraft(
  db: Queryable,
  id: string,
  draft: JourneyDocument,
): Promise<boolean> {
  const result = await db.query(
    'UPDATE journeys SET draft = $2, name = $3, updated_at = now() WHERE id = $1',
    [id, JSON.stringify(draft), draft.name],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Withdraws a journey's published version: new events start no runs on it; runs in flight
 * keep their pinned version and go on.
 *
 * @returns the version that was published, or `null` when none was
 */
export async function unpublishJourney(db: Queryable, id: string): Promise<string | null> {
  const result = await db.query<{ previous: string | null }>(
    `WITH old AS (SELECT id, published_version_id FROM journeys WHERE id = $1 FOR UPDATE)
     UPDATE journeys j SET published_version_id = NULL, updated_at = now() FROM old
     WHERE j.id = old.id RETURNING old.published_version_id AS previous`,
    [id],
  );
  return result.rows[0]?.previous ?? null;
}

/** A journey's versions, newest first. */
export async function listVersions(db: Queryable, journeyId: string): Promise<VersionSummary[]> {
  const result = await db.query<{
    id: string;
    version: number;
    plan_hash: string;
    published_by: string;
    published_at: Date;
  }>(
    `SELECT id, version, plan_hash, published_by, published_at FROM journey_versions
     WHERE journey_id = $1 ORDER BY version DESC`,
    [journeyId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    version: row.version,
    planHash: row.plan_hash,
    publishedBy: row.published_by,
    publishedAt: row.published_at.toISOString(),
  }));
}

/** One version of a journey by its number, with the graph it froze and its plan. */
export async function findVersionByNumber(
  db: Queryable,
  journeyId: string,
  version: number,
): Promise<(VersionSummary & { graph: JourneyDocument; plan: Plan }) | undefined> {
  const result = await db.query<{
    id: string;
    version: number;
    plan_hash: string;
    published_by: string;
    published_at: Date;
    graph: JourneyDocument;
    plan: Plan;
  }>(
    `SELECT id, version, plan_hash, published_by, published_at, graph, plan
     FROM journey_versions WHERE journey_id = $1 AND version = $2`,
    [journeyId, version],
  );
  const row = result.rows[0];
  return row === undefined
    ? undefined
    : {
        id: row.id,
        version: row.version,
        planHash: row.plan_hash,
        publishedBy: row.published_by,
        publishedAt: row.published_at.toISOString(),
        graph: row.graph,
        plan: row.plan,
      };
}

function toJourney(row: JourneyDbRow): JourneyRow {
  const published =
    row.p_id === null
      ? null
      : {
          id: row.p_id,
          version: row.p_version ?? 0,
          planHash: row.p_hash ?? '',
          publishedBy: row.p_by ?? '',
          publishedAt: (row.p_at ?? new Date(0)).toISOString(),
        };
  const status: JourneyStatus =
    published !== null ? 'published' : row.latest_version === null ? 'draft' : 'unpublished';
  return {
    id: row.id,
    name: row.name,
    status,
    draft: row.draft,
    publishedVersion: published,
    latestVersion: row.latest_version,
    hasUnpublishedChanges: row.latest_is_draft !== true,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
