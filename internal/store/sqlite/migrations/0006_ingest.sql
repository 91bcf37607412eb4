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

ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- identify links a visitor's earlier anonymous events: only events without
-- a person are ever looked up by anonymousId (events_user_id serves userId).
CREATE INDEX events_unlinked_anonymous ON events (anonymous_id) WHERE person_id IS NULL AND anonymous_id <> '';
