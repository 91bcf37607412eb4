-- Segments: saved audiences. rule is a segment-language rule (package
-- segment) compiled to SQL at each refresh; segment_members holds its
-- current members. events_mark (the highest event id seen) and
-- people_mark (the latest people.updated_at seen) let an incremental
-- refresh look only at people with something new. Times are TEXT in UTC
-- at fixed width, as in 0001.
CREATE TABLE segments (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    rule         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    proposal_id  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    refreshed_at TEXT,
    as_of        TEXT,
    size         INTEGER NOT NULL DEFAULT 0,
    events_mark  INTEGER NOT NULL DEFAULT 0,
    people_mark  TEXT,
    -- the rule the members were computed with; a changed rule needs a
    -- full refresh
    refreshed_rule TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE segment_members (
    segment_id TEXT NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (segment_id, person_id)
) WITHOUT ROWID;

-- No index on people (updated_at): an incremental refresh scans people
-- for changes (a fraction of a second at a million), while an index would
-- be paid for on every person of every import.
