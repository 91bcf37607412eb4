-- Tower foundation schema for SQLite.
--
-- Times are TEXT in UTC, fixed width 2006-01-02T15:04:05.000000Z, so text
-- order is time order; dates are TEXT YYYY-MM-DD. NULL means "not known".
-- JSON (traits, properties, context) is TEXT. Identifiers compare by bytes.
--
-- people and records carry no REFERENCES clauses: they are the million-row
-- tables, and foreign-key probes cost a fifth of a bulk import. The store
-- checks account_id set-wise before writing (and rejects the row), and
-- person_id is always an id the store itself just read or assigned.

CREATE TABLE owners (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL DEFAULT '',
    email    TEXT NOT NULL DEFAULT '',
    team     TEXT NOT NULL DEFAULT '',
    region   TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL DEFAULT '',
    domain          TEXT NOT NULL DEFAULT '',
    industry        TEXT NOT NULL DEFAULT '',
    employees       INTEGER NOT NULL DEFAULT 0,
    region          TEXT NOT NULL DEFAULT '',
    tier            TEXT NOT NULL DEFAULT '',
    owner_id        TEXT REFERENCES owners (id),
    lifecycle_stage TEXT NOT NULL DEFAULT '',
    traits          TEXT
);
CREATE INDEX accounts_owner_id ON accounts (owner_id);

CREATE TABLE products (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    family     TEXT NOT NULL DEFAULT '',
    list_price REAL NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    account_id  TEXT,
    country     TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    traits      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    merged_into INTEGER
);
-- A person made from a record with an address has key 'email:' || email,
-- so the key index finds people by e-mail; only people who gained an
-- address later (made from a record without one) need an e-mail index,
-- which spares a million-row import one index in four.
CREATE INDEX people_email_late ON people (email) WHERE substr(key, 1, 6) <> 'email:' AND email <> '';
-- Partial indexes leave out the rows that never match a lookup (people
-- without an account, records without an address), which many exports
-- are full of and which would otherwise cost an index entry each.
CREATE INDEX people_account_id ON people (account_id) WHERE account_id IS NOT NULL;

CREATE TABLE records (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL,
    system     TEXT NOT NULL,
    system_id  TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    email_key  TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name  TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    account_id TEXT,
    country    TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL DEFAULT '',
    traits     TEXT,
    created_at TEXT,
    updated_at TEXT,
    UNIQUE (system, system_id)
);
CREATE INDEX records_email_key ON records (email_key) WHERE email_key <> '';
CREATE INDEX records_person_id ON records (person_id);
CREATE INDEX records_system_id ON records (system_id);

CREATE TABLE consent (
    id        INTEGER PRIMARY KEY,
    system    TEXT NOT NULL,
    system_id TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT '',
    channel   TEXT NOT NULL,
    status    TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL,
    record_id INTEGER REFERENCES records (id),
    person_id INTEGER REFERENCES people (id),
    UNIQUE (system, system_id, email, channel, status, at)
);
CREATE INDEX consent_person_id ON consent (person_id);
CREATE INDEX consent_record_id ON consent (record_id);
CREATE INDEX consent_at ON consent (at);

CREATE TABLE holdings (
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    product_id   TEXT NOT NULL REFERENCES products (id),
    person_email TEXT NOT NULL DEFAULT '',
    since        TEXT,
    seats        INTEGER NOT NULL DEFAULT 0,
    mrr          REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, product_id, person_email)
) WITHOUT ROWID;
CREATE INDEX holdings_product_id ON holdings (product_id);

CREATE TABLE campaigns (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    channel    TEXT NOT NULL DEFAULT '',
    owner_id   TEXT REFERENCES owners (id),
    start_date TEXT,
    end_date   TEXT,
    budget     REAL NOT NULL DEFAULT 0,
    goal       TEXT NOT NULL DEFAULT '',
    segment    TEXT NOT NULL DEFAULT '',
    traits     TEXT
);
CREATE INDEX campaigns_owner_id ON campaigns (owner_id);

CREATE TABLE campaign_days (
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id),
    date         TEXT NOT NULL,
    variant      TEXT NOT NULL DEFAULT '',
    sends        INTEGER NOT NULL DEFAULT 0,
    delivered    INTEGER NOT NULL DEFAULT 0,
    opens        INTEGER NOT NULL DEFAULT 0,
    clicks       INTEGER NOT NULL DEFAULT 0,
    conversions  INTEGER NOT NULL DEFAULT 0,
    spend        REAL NOT NULL DEFAULT 0,
    revenue      REAL NOT NULL DEFAULT 0,
    unsubscribes INTEGER NOT NULL DEFAULT 0,
    hard_bounces INTEGER NOT NULL DEFAULT 0,
    complaints   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, date, variant)
) WITHOUT ROWID;

CREATE TABLE licenses (
    tool                TEXT PRIMARY KEY,
    vendor              TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL DEFAULT '',
    seats               INTEGER NOT NULL DEFAULT 0,
    cost_per_seat_month REAL NOT NULL DEFAULT 0,
    renewal_date        TEXT,
    owner_email         TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE license_usage (
    tool           TEXT NOT NULL REFERENCES licenses (tool),
    user_email     TEXT NOT NULL,
    last_active_at TEXT,
    actions_30d    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tool, user_email)
) WITHOUT ROWID;

CREATE TABLE templates (
    id          TEXT PRIMARY KEY,
    esp         TEXT NOT NULL DEFAULT '',
    dialect     TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT '',
    campaign_id TEXT NOT NULL DEFAULT '',
    segment     TEXT NOT NULL DEFAULT '',
    path        TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    traits      TEXT
);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL DEFAULT '',
    user_id      TEXT NOT NULL DEFAULT '',
    anonymous_id TEXT NOT NULL DEFAULT '',
    event        TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    group_id     TEXT NOT NULL DEFAULT '',
    previous_id  TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    properties   TEXT,
    traits       TEXT,
    context      TEXT,
    timestamp    TEXT,
    received_at  TEXT,
    person_id    INTEGER REFERENCES people (id)
);
CREATE INDEX events_person_timestamp ON events (person_id, timestamp);
CREATE INDEX events_event_timestamp ON events (event, timestamp);
CREATE INDEX events_timestamp ON events (timestamp);
CREATE INDEX events_user_id ON events (user_id);
