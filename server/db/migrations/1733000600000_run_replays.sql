-- Up Migration

-- A replay starts a new Temporal execution under the run's workflow id (so the delivery ledger,
-- keyed by workflow id and step, still knows what the peer accepted). The failed execution stays
-- in Temporal's visibility; executions started before `replayed_at` are the superseded ones.
ALTER TABLE runs ADD COLUMN replayed_at timestamptz;
ALTER TABLE runs ADD COLUMN replays integer NOT NULL DEFAULT 0;

-- Down Migration

ALTER TABLE runs DROP COLUMN replays;
ALTER TABLE runs DROP COLUMN replayed_at;
