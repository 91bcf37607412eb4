-- Ingest: the sources allowed to send events over HTTP (only the SHA-256
-- of each write key is kept), the userIds and anonymousIds that identify
-- and alias link to people, and which source sent each event.

CREATE TABLE sources (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE,
    key_hint     TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
) WITHOUT ROWID;
-- A name is unique among active sources; a revoked one frees its name.
CREATE UNIQUE INDEX sources_active_name ON sources (name) WHERE revoked_at IS NULL;

-- identities: one row per id a source uses for a person (a userId or an
-- anonymousId; they share one namespace, as they do in the Segment spec's
-- alias call). kind says how it was learnt: identify, alias.
CREATE TABLE identities (
    id         TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX identities_person ON identities (person_id);

-- events is rebuilt: it gains source (which source sent each event), it
-- loses the foreign key on person_id, and its userId index covers only
-- events without a person. The store only ever writes a person_id it has
-- just read, so the key checked nothing — but it made SQLite keep a
-- statement journal for every multi-row insert, a tenth of the collector's
-- write time (0001 leaves it off people and records for the same reason).
-- userId is looked up only to link a visitor's events once identify names
-- them, so linked events need no entry.
CREATE TABLE events_0006 (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL DEFAULT '',
    user_id      TEXT NOT NULL DEFAULT '',
    anonymous_id TEXT NOT NULL DEFAULT '',
    event        TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    group_id     TEXT NOT NULL DEFAULT '',
    previous_id  TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    properties   TEXT,
    traits       TEXT,
    context      TEXT,
    timestamp    TEXT,
    received_at  TEXT,
    person_id    INTEGER,
    source       TEXT NOT NULL DEFAULT ''
);
INSERT INTO events_0006 (id, message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email,
    properties, traits, context, timestamp, received_at, person_id)
SELECT id, message_id, type, user_id, anonymous_id, event, name, group_id, previous_id, email,
    properties, traits, context, timestamp, received_at, person_id FROM events;
DROP TABLE events;
ALTER TABLE events_0006 RENAME TO events;
CREATE INDEX events_person_timestamp ON events (person_id, timestamp);
CREATE INDEX events_event_timestamp ON events (event, timestamp);
CREATE INDEX events_timestamp ON events (timestamp);
-- identify links a visitor's earlier events: only events without a person
-- are ever looked up by userId or anonymousId.
CREATE INDEX events_unlinked_user ON events (user_id) WHERE person_id IS NULL AND user_id <> '';
CREATE INDEX events_unlinked_anonymous ON events (anonymous_id) WHERE person_id IS NULL AND anonymous_id <> '';
