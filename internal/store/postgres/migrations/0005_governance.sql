-- Governance: approval requests with their escalation timers, delegations,
-- each agent's earned-autonomy track, workspace settings (the kill
-- switch), and the blast radius of proposals as a column so caps can sum
-- what an agent changed today. Column names match the SQLite schema.

ALTER TABLE proposals ADD COLUMN blast_radius integer NOT NULL DEFAULT 0;
CREATE INDEX proposals_agent_changes ON proposals (agent, created_at, status, blast_radius);

CREATE TABLE approval_requests (
    proposal_id text COLLATE "C" PRIMARY KEY,
    agent       text COLLATE "C" NOT NULL DEFAULT '',
    owner       text COLLATE "C" NOT NULL DEFAULT '',
    requester   text COLLATE "C" NOT NULL DEFAULT '',
    chain       jsonb NOT NULL DEFAULT '[]',
    level       integer NOT NULL DEFAULT 0,
    required    integer NOT NULL DEFAULT 1,
    sod         boolean NOT NULL DEFAULT false,
    on_timeout  text COLLATE "C" NOT NULL DEFAULT 'expire',
    due_at      timestamptz NOT NULL,
    state       text COLLATE "C" NOT NULL DEFAULT 'open',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX approval_requests_due ON approval_requests (due_at, proposal_id) WHERE state = 'open';
CREATE INDEX approval_requests_state ON approval_requests (state, proposal_id);

CREATE TABLE delegations (
    from_user  text COLLATE "C" PRIMARY KEY,
    to_user    text COLLATE "C" NOT NULL,
    until      timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE autonomy_tracks (
    agent        text COLLATE "C" NOT NULL,
    kind         text COLLATE "C" NOT NULL,
    level        text COLLATE "C" NOT NULL DEFAULT '',
    streak       integer NOT NULL DEFAULT 0,
    last_undo_at timestamptz,
    changed_at   timestamptz,
    reason       text COLLATE "C" NOT NULL DEFAULT '',
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (agent, kind)
);

CREATE TABLE settings (
    key        text COLLATE "C" PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_by text COLLATE "C" NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL
);
