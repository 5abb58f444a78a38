-- Up Migration

-- Bulk replays: the filter an operator chose, the runs it matched (fixed when the job was made,
-- so the report says exactly what was attempted), and each run's result. Ids and codes only.
CREATE TABLE replay_jobs (
  id uuid PRIMARY KEY,
  filter jsonb NOT NULL,
  on_version text NOT NULL CHECK (on_version IN ('own', 'newest')),
  pace_ms integer NOT NULL,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed')),
  -- The server working on the job holds it until then; another takes it over after.
  lease_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE replay_job_runs (
  job_id uuid NOT NULL REFERENCES replay_jobs (id),
  seq integer NOT NULL,
  workflow_id text NOT NULL,
  state text NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'replayed', 'skipped', 'failed')),
  code text,
  replay_run_id text,
  at timestamptz,
  PRIMARY KEY (job_id, seq)
);

-- Down Migration

DROP TABLE replay_job_runs;
DROP TABLE replay_jobs;
