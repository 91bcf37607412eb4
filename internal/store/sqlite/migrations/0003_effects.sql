-- Effects: what executors change besides the foundation rows themselves.
-- Times are TEXT in UTC, fixed width, as in 0001.

-- A campaign is "active" or "paused". Imports do not carry a status, so
-- re-importing campaigns.csv never resumes a campaign an agent paused.
ALTER TABLE campaigns ADD COLUMN status TEXT NOT NULL DEFAULT 'active';

-- tags label entities; id is the entity's natural key as text (a person
-- id, "system:system_id" for a record, an account id ...).
CREATE TABLE tags (
    entity      TEXT NOT NULL,
    id          TEXT NOT NULL,
    tag         TEXT NOT NULL,
    proposal_id TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (entity, id, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);

-- tasks are work agents asked people to do. The id is derived from the
-- action's idempotency key, so a retried action cannot create two.
CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    owner_id    TEXT NOT NULL DEFAULT '',
    due         TEXT,
    note        TEXT NOT NULL DEFAULT '',
    targets     TEXT NOT NULL DEFAULT '[]',
    proposal_id TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open',
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX tasks_owner_id ON tasks (owner_id, due);
CREATE INDEX tasks_proposal_id ON tasks (proposal_id);

-- notifications wait here for the briefing channels to deliver them.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    recipient   TEXT NOT NULL,
    message     TEXT NOT NULL,
    targets     TEXT NOT NULL DEFAULT '[]',
    proposal_id TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    sent_at     TEXT
) WITHOUT ROWID;
CREATE INDEX notifications_created_at ON notifications (created_at);
CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;
