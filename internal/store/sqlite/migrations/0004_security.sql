-- Security: users, API tokens and the hash-chained audit log.
--
-- Only the SHA-256 of a token's secret is stored. Audit entries are never
-- updated or deleted by Tower: seq is assigned by the store as the last seq
-- plus one inside the write transaction (not AUTOINCREMENT), so a rolled
-- back append leaves no gap. data is BLOB so the bytes that were hashed are
-- the bytes read back.

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    email         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin', 'architect', 'approver', 'marketer', 'viewer')),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    user_name    TEXT NOT NULL REFERENCES users (name),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'architect', 'approver', 'marketer', 'viewer')),
    hash         BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_created ON tokens (created_at, id);
CREATE INDEX tokens_user ON tokens (user_name, created_at, id);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL DEFAULT '',
    data      BLOB NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at, seq);
