-- Segments: saved audiences. rule is a segment-language rule (package
-- segment) compiled to SQL at each refresh; segment_members holds its
-- current members. events_mark (the highest event id seen) and
-- people_mark (the latest people.updated_at seen) let an incremental
-- refresh look only at people with something new. Column names match the
-- SQLite schema.
CREATE TABLE segments (
    id           text COLLATE "C" PRIMARY KEY,
    name         text NOT NULL,
    rule         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_by   text COLLATE "C" NOT NULL DEFAULT '',
    proposal_id  text COLLATE "C" NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    refreshed_at timestamptz,
    as_of        timestamptz,
    size         bigint NOT NULL DEFAULT 0,
    events_mark  bigint NOT NULL DEFAULT 0,
    people_mark  timestamptz,
    -- the rule the members were computed with; a changed rule needs a
    -- full refresh
    refreshed_rule text NOT NULL DEFAULT ''
);

CREATE TABLE segment_members (
    segment_id text COLLATE "C" NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL,
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (segment_id, person_id)
);

-- No index on people (updated_at): an incremental refresh scans people
-- for changes (a fraction of a second at a million), while an index would
-- be paid for on every person of every import.
