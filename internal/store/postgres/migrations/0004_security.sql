-- Security: users, API tokens and the hash-chained audit log.
--
-- Only the SHA-256 of a token's secret is stored. Audit entries are never
-- updated or deleted by Tower: seq is assigned by the store as the last seq
-- plus one while it holds the audit advisory lock (not a sequence, which
-- leaves gaps on rollback). data is bytea, not jsonb: jsonb reorders keys
-- and drops spaces, and the chain hashes the exact bytes.

CREATE TABLE users (
    name          text COLLATE "C" PRIMARY KEY,
    email         text COLLATE "C" NOT NULL DEFAULT '',
    role          text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'architect', 'approver', 'marketer', 'viewer')),
    password_hash text NOT NULL DEFAULT '',
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE tokens (
    id           text COLLATE "C" PRIMARY KEY,
    name         text COLLATE "C" NOT NULL DEFAULT '',
    user_name    text COLLATE "C" NOT NULL REFERENCES users (name),
    role         text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'architect', 'approver', 'marketer', 'viewer')),
    hash         bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX tokens_created ON tokens (created_at, id);
CREATE INDEX tokens_user ON tokens (user_name, created_at, id);

CREATE TABLE audit_log (
    seq       bigint PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor     text COLLATE "C" NOT NULL,
    action    text COLLATE "C" NOT NULL,
    subject   text COLLATE "C" NOT NULL DEFAULT '',
    data      bytea NOT NULL,
    prev_hash bytea NOT NULL,
    hash      bytea NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at, seq);
