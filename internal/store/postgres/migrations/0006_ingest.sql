-- Ingest: the sources allowed to send events over HTTP (only the SHA-256
-- of each write key is kept), the userIds and anonymousIds that identify
-- and alias link to people, and which source sent each event. Column
-- names match the SQLite schema.

CREATE TABLE sources (
    id           text COLLATE "C" PRIMARY KEY,
    name         text COLLATE "C" NOT NULL,
    key_hash     bytea NOT NULL UNIQUE,
    key_hint     text COLLATE "C" NOT NULL DEFAULT '',
    created_by   text COLLATE "C" NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
-- A name is unique among active sources; a revoked one frees its name.
CREATE UNIQUE INDEX sources_active_name ON sources (name) WHERE revoked_at IS NULL;

-- identities: one row per id a source uses for a person (a userId or an
-- anonymousId; they share one namespace, as they do in the Segment spec's
-- alias call). kind says how it was learnt: identify, alias.
CREATE TABLE identities (
    id         text COLLATE "C" PRIMARY KEY,
    person_id  bigint NOT NULL,
    kind       text COLLATE "C" NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX identities_person ON identities (person_id);

ALTER TABLE events ADD COLUMN source text COLLATE "C" NOT NULL DEFAULT '';
-- identify links a visitor's earlier events: only events without a person
-- are ever looked up by userId or anonymousId.
CREATE INDEX events_unlinked_user ON events (user_id) WHERE person_id IS NULL AND user_id <> '';
CREATE INDEX events_unlinked_anonymous ON events (anonymous_id) WHERE person_id IS NULL AND anonymous_id <> '';
