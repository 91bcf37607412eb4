-- Governance: approval requests with their escalation timers, delegations,
-- each agent's earned-autonomy track, workspace settings (the kill
-- switch), and the blast radius of proposals as a column so caps can sum
-- what an agent changed today without reading proposal bodies.

ALTER TABLE proposals ADD COLUMN blast_radius INTEGER NOT NULL DEFAULT 0;
-- Caps ask "what did this agent change since midnight".
CREATE INDEX proposals_agent_changes ON proposals (agent, created_at, status, blast_radius);

-- approval_requests: one per proposal that waited for people. chain is
-- JSON ([]store.ApprovalLevel); due_at is the escalation timer, swept by
-- the escalator (the open-due index keeps the sweep one range scan).
CREATE TABLE approval_requests (
    proposal_id TEXT PRIMARY KEY,
    agent       TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    requester   TEXT NOT NULL DEFAULT '',
    chain       TEXT NOT NULL DEFAULT '[]',
    level       INTEGER NOT NULL DEFAULT 0,
    required    INTEGER NOT NULL DEFAULT 1,
    sod         INTEGER NOT NULL DEFAULT 0,
    on_timeout  TEXT NOT NULL DEFAULT 'expire',
    due_at      TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'open',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX approval_requests_due ON approval_requests (due_at, proposal_id) WHERE state = 'open';
CREATE INDEX approval_requests_state ON approval_requests (state, proposal_id);

-- delegations: from_user's approvals may be given by to_user until until.
CREATE TABLE delegations (
    from_user  TEXT PRIMARY KEY,
    to_user    TEXT NOT NULL,
    until      TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- autonomy_tracks: per (agent, action kind) the earned level and the
-- streak that earns it.
CREATE TABLE autonomy_tracks (
    agent        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    level        TEXT NOT NULL DEFAULT '',
    streak       INTEGER NOT NULL DEFAULT 0,
    last_undo_at TEXT,
    changed_at   TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (agent, kind)
) WITHOUT ROWID;

-- settings: workspace-wide switches as JSON.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
