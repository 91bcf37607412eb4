-- Measure: what each executed proposal turned out to be worth, measured
-- some time after it ran. One row per proposal: measuring it again
-- replaces the row. value is the realised proposal.Value (its assumptions
-- say how it was measured); share is the part of the effect still in
-- place, in [0,1]. Column names match the SQLite schema.
CREATE TABLE outcomes (
    proposal_id text COLLATE "C" PRIMARY KEY,
    measured_at timestamptz NOT NULL,
    value       jsonb NOT NULL DEFAULT '{}',
    share       double precision NOT NULL DEFAULT 0,
    method      text COLLATE "C" NOT NULL DEFAULT ''
);
-- Reports read the outcomes of a month: by measured_at.
CREATE INDEX outcomes_measured ON outcomes (measured_at, proposal_id);
