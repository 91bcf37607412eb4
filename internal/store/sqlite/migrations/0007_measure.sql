-- Measure: what each executed proposal turned out to be worth, measured
-- some time after it ran. One row per proposal: measuring it again
-- replaces the row. value is the realised proposal.Value as JSON (its
-- assumptions say how it was measured); share is the part of the effect
-- still in place, in [0,1]. Same conventions as 0001: times are TEXT in
-- UTC at fixed width, JSON is TEXT.
CREATE TABLE outcomes (
    proposal_id TEXT PRIMARY KEY,
    measured_at TEXT NOT NULL,
    value       TEXT NOT NULL DEFAULT '{}',
    share       REAL NOT NULL DEFAULT 0,
    method      TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
-- Reports read the outcomes of a month: by measured_at.
CREATE INDEX outcomes_measured ON outcomes (measured_at, proposal_id);
