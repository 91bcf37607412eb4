-- Deliveries: the outbox of changes owed to connected systems. An
-- executor enqueues a row in the same transaction as the change itself;
-- the deliverer claims due rows (moving next_at forward as a lease, with
-- FOR UPDATE SKIP LOCKED so two deliverers never take the same row),
-- pushes them and marks them. key is the idempotency key, unique, so an
-- action that runs twice enqueues once. Column names match the SQLite schema.
CREATE TABLE deliveries (
    id           bigserial PRIMARY KEY,
    key          text COLLATE "C" NOT NULL UNIQUE,
    connector    text COLLATE "C" NOT NULL,
    op           text COLLATE "C" NOT NULL,
    system_id    text COLLATE "C" NOT NULL DEFAULT '',
    email        text COLLATE "C" NOT NULL DEFAULT '',
    channel      text COLLATE "C" NOT NULL DEFAULT '',
    status       text COLLATE "C" NOT NULL DEFAULT '',
    reason       text NOT NULL DEFAULT '',
    field        text COLLATE "C" NOT NULL DEFAULT '',
    value        text NOT NULL DEFAULT '',
    into_id      text COLLATE "C" NOT NULL DEFAULT '',
    proposal_id  text COLLATE "C" NOT NULL DEFAULT '',
    state        text COLLATE "C" NOT NULL DEFAULT 'pending',
    attempts     integer NOT NULL DEFAULT 0,
    next_at      timestamptz NOT NULL,
    last_error   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    delivered_at timestamptz
);
CREATE INDEX deliveries_due ON deliveries (connector, state, next_at, id);
CREATE INDEX deliveries_state ON deliveries (state, id);
CREATE INDEX deliveries_proposal ON deliveries (proposal_id, id);
