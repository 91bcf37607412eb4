-- Runtime: the agent fleet, its runs, the proposals agents make and the
-- executions that carried them out. Column names match the SQLite schema.

-- agents are configured skill instances; the name is the natural key.
CREATE TABLE agents (
    name         text COLLATE "C" PRIMARY KEY,
    skill        text COLLATE "C" NOT NULL,
    owner        text COLLATE "C" NOT NULL DEFAULT '',
    description  text COLLATE "C" NOT NULL DEFAULT '',
    scope        jsonb NOT NULL DEFAULT '{}',
    params       jsonb NOT NULL DEFAULT 'null',
    autonomy     jsonb NOT NULL DEFAULT 'null',
    caps         jsonb NOT NULL DEFAULT '{}',
    schedule     text COLLATE "C" NOT NULL DEFAULT '',
    state        text COLLATE "C" NOT NULL DEFAULT 'active',
    state_reason text COLLATE "C" NOT NULL DEFAULT '',
    source       text COLLATE "C" NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX agents_skill ON agents (skill, name);
CREATE INDEX agents_state ON agents (state, name);

-- proposals keep the whole proposal.Proposal as jsonb in body; the columns
-- beside it are what lists filter and sort on. status is authoritative
-- (the body's copy is overwritten from it on read).
CREATE TABLE proposals (
    id         text COLLATE "C" PRIMARY KEY,
    skill      text COLLATE "C" NOT NULL,
    agent      text COLLATE "C" NOT NULL,
    status     text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    expires_at timestamptz,
    body       jsonb NOT NULL
);
-- An agent never has two open proposals about one thing. The list of
-- statuses is proposal.Status.Open; inserts name this index by its
-- condition in their ON CONFLICT clause, so keep the two in step.
CREATE UNIQUE INDEX proposals_open_key ON proposals (agent, key)
    WHERE status IN ('proposed', 'allowed', 'pending_approval', 'approved', 'executing');
CREATE INDEX proposals_created ON proposals (created_at, id);
CREATE INDEX proposals_status ON proposals (status, created_at, id);
CREATE INDEX proposals_agent ON proposals (agent, created_at, id);
CREATE INDEX proposals_skill ON proposals (skill, created_at, id);
CREATE INDEX proposals_open_expiry ON proposals (expires_at)
    WHERE status IN ('proposed', 'allowed', 'pending_approval', 'approved', 'executing');

-- executions: one row per applied action; key is its idempotency key
-- (proposal.ActionKey), so an action is never recorded twice.
CREATE TABLE executions (
    key         text COLLATE "C" PRIMARY KEY,
    proposal_id text COLLATE "C" NOT NULL,
    action      integer NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    actor       text COLLATE "C" NOT NULL DEFAULT '',
    result      text COLLATE "C" NOT NULL DEFAULT '',
    undo        bytea,
    executed_at timestamptz NOT NULL,
    undone_at   timestamptz,
    undone_by   text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX executions_proposal ON executions (proposal_id, action);

-- runs: one skill run over a batch of agents.
CREATE TABLE runs (
    id          text COLLATE "C" PRIMARY KEY,
    skill       text COLLATE "C" NOT NULL,
    trigger     text COLLATE "C" NOT NULL DEFAULT '',
    agents      integer NOT NULL DEFAULT 0,
    proposals   integer NOT NULL DEFAULT 0,
    skipped     integer NOT NULL DEFAULT 0,
    error       text COLLATE "C" NOT NULL DEFAULT '',
    started_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX runs_started ON runs (started_at, id);
CREATE INDEX runs_skill ON runs (skill, started_at, id);
