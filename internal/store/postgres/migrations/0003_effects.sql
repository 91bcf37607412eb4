-- Effects: what executors change besides the foundation rows themselves.

-- A campaign is 'active' or 'paused'. Imports do not carry a status, so
-- re-importing campaigns.csv never resumes a campaign an agent paused.
ALTER TABLE campaigns ADD COLUMN status text COLLATE "C" NOT NULL DEFAULT 'active';

-- tags label entities; id is the entity's natural key as text (a person
-- id, 'system:system_id' for a record, an account id ...).
CREATE TABLE tags (
    entity      text COLLATE "C" NOT NULL,
    id          text COLLATE "C" NOT NULL,
    tag         text COLLATE "C" NOT NULL,
    proposal_id text COLLATE "C" NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (entity, id, tag)
);
CREATE INDEX tags_tag ON tags (tag);

-- tasks are work agents asked people to do. The id is derived from the
-- action's idempotency key, so a retried action cannot create two.
CREATE TABLE tasks (
    id          text COLLATE "C" PRIMARY KEY,
    title       text COLLATE "C" NOT NULL,
    owner_id    text COLLATE "C" NOT NULL DEFAULT '',
    due         timestamptz,
    note        text COLLATE "C" NOT NULL DEFAULT '',
    targets     jsonb NOT NULL DEFAULT '[]',
    proposal_id text COLLATE "C" NOT NULL DEFAULT '',
    status      text COLLATE "C" NOT NULL DEFAULT 'open',
    created_at  timestamptz NOT NULL
);
CREATE INDEX tasks_owner_id ON tasks (owner_id, due);
CREATE INDEX tasks_proposal_id ON tasks (proposal_id);

-- notifications wait here for the briefing channels to deliver them.
CREATE TABLE notifications (
    id          text COLLATE "C" PRIMARY KEY,
    recipient   text COLLATE "C" NOT NULL,
    message     text COLLATE "C" NOT NULL,
    targets     jsonb NOT NULL DEFAULT '[]',
    proposal_id text COLLATE "C" NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX notifications_created_at ON notifications (created_at);
CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;
