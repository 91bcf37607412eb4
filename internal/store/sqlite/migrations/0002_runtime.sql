-- Runtime: the agent fleet, its runs, the proposals agents make and the
-- executions that carried them out. Same conventions as 0001: times are
-- TEXT in UTC at fixed width, JSON is TEXT.

-- agents are configured skill instances; the name is the natural key.
-- scope, params, autonomy and caps are JSON.
CREATE TABLE agents (
    name         TEXT PRIMARY KEY,
    skill        TEXT NOT NULL,
    owner        TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    scope        TEXT NOT NULL DEFAULT '{}',
    params       TEXT NOT NULL DEFAULT 'null',
    autonomy     TEXT NOT NULL DEFAULT 'null',
    caps         TEXT NOT NULL DEFAULT '{}',
    schedule     TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'active',
    state_reason TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX agents_skill ON agents (skill, name);
CREATE INDEX agents_state ON agents (state, name);

-- proposals keep the whole proposal.Proposal as JSON in body; the columns
-- beside it are what lists filter and sort on. status is authoritative
-- (the body's copy is overwritten from it on read).
CREATE TABLE proposals (
    id         TEXT PRIMARY KEY,
    skill      TEXT NOT NULL,
    agent      TEXT NOT NULL,
    status     TEXT NOT NULL,
    key        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT,
    body       TEXT NOT NULL
);
-- An agent never has two open proposals about one thing. The list of
-- statuses is proposal.Status.Open; inserts name this index in their
-- ON CONFLICT clause, so keep the two in step.
CREATE UNIQUE INDEX proposals_open_key ON proposals (agent, key)
    WHERE status IN ('proposed', 'allowed', 'pending_approval', 'approved', 'executing');
-- Lists sort by (created_at DESC, id DESC). The indexes stop at
-- created_at: adding the 28-byte id to every entry of four indexes made a
-- fleet cycle's insert (BenchmarkProposalsInsert) half as fast again, and
-- SQLite orders proposals created in the same microsecond by id with a
-- small sort of just those rows.
CREATE INDEX proposals_created ON proposals (created_at);
CREATE INDEX proposals_status ON proposals (status, created_at);
CREATE INDEX proposals_agent ON proposals (agent, created_at);
CREATE INDEX proposals_skill ON proposals (skill, created_at);
CREATE INDEX proposals_open_expiry ON proposals (expires_at)
    WHERE status IN ('proposed', 'allowed', 'pending_approval', 'approved', 'executing');

-- executions: one row per applied action; key is its idempotency key
-- (proposal.ActionKey), so an action is never recorded twice.
CREATE TABLE executions (
    key         TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL,
    action      INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT '',
    undo        BLOB,
    executed_at TEXT NOT NULL,
    undone_at   TEXT,
    undone_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX executions_proposal ON executions (proposal_id, action);

-- runs: one skill run over a batch of agents.
CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    skill       TEXT NOT NULL,
    trigger     TEXT NOT NULL DEFAULT '',
    agents      INTEGER NOT NULL DEFAULT 0,
    proposals   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX runs_started ON runs (started_at, id);
CREATE INDEX runs_skill ON runs (skill, started_at, id);
