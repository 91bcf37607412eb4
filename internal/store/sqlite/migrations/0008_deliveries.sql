-- Deliveries: the outbox of changes owed to connected systems. An
-- executor enqueues a row in the same transaction as the change itself;
-- the deliverer claims due rows (moving next_at forward as a lease),
-- pushes them and marks them. key is the idempotency key, unique, so an
-- action that runs twice enqueues once. Same conventions as 0001: times
-- are TEXT in UTC at fixed width.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    connector    TEXT NOT NULL,
    op           TEXT NOT NULL,
    system_id    TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    field        TEXT NOT NULL DEFAULT '',
    value        TEXT NOT NULL DEFAULT '',
    into_id      TEXT NOT NULL DEFAULT '',
    proposal_id  TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);
-- The deliverer asks for one connector's due pending rows.
CREATE INDEX deliveries_due ON deliveries (connector, state, next_at, id);
-- Lists filter by state, newest first; a proposal page lists its own.
CREATE INDEX deliveries_state ON deliveries (state, id);
CREATE INDEX deliveries_proposal ON deliveries (proposal_id, id);
