-- Foundation: the people, records, accounts, campaigns, consent and
-- licences every skill reads. Column names match the SQLite schema so the
-- two backends read as one; types are PostgreSQL's own.
--
-- Every text column is COLLATE "C": lists order by byte value, as they do
-- on SQLite, whatever locale the database was created with — and C
-- comparisons are the cheapest, which matters on million-row imports.

CREATE TABLE owners (
    id       text COLLATE "C" PRIMARY KEY,
    name     text COLLATE "C" NOT NULL DEFAULT '',
    email    text COLLATE "C" NOT NULL DEFAULT '',
    team     text COLLATE "C" NOT NULL DEFAULT '',
    region   text COLLATE "C" NOT NULL DEFAULT '',
    capacity integer NOT NULL DEFAULT 0
);

CREATE TABLE accounts (
    id              text COLLATE "C" PRIMARY KEY,
    name            text COLLATE "C" NOT NULL DEFAULT '',
    domain          text COLLATE "C" NOT NULL DEFAULT '',
    industry        text COLLATE "C" NOT NULL DEFAULT '',
    employees       integer NOT NULL DEFAULT 0,
    region          text COLLATE "C" NOT NULL DEFAULT '',
    tier            text COLLATE "C" NOT NULL DEFAULT '',
    owner_id        text COLLATE "C" REFERENCES owners (id),
    lifecycle_stage text COLLATE "C" NOT NULL DEFAULT '',
    traits          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX accounts_owner_id ON accounts (owner_id);

CREATE TABLE products (
    id         text COLLATE "C" PRIMARY KEY,
    name       text COLLATE "C" NOT NULL DEFAULT '',
    family     text COLLATE "C" NOT NULL DEFAULT '',
    list_price double precision NOT NULL DEFAULT 0
);

-- key is foundation.Record.PersonKey of the record that created the
-- person; it is what makes linking set-wise and safe under concurrent
-- imports (INSERT ... ON CONFLICT (key)).
CREATE TABLE people (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text COLLATE "C" NOT NULL UNIQUE,
    email       text COLLATE "C" NOT NULL DEFAULT '',
    first_name  text COLLATE "C" NOT NULL DEFAULT '',
    last_name   text COLLATE "C" NOT NULL DEFAULT '',
    title       text COLLATE "C" NOT NULL DEFAULT '',
    phone       text COLLATE "C" NOT NULL DEFAULT '',
    account_id  text COLLATE "C",
    country     text COLLATE "C" NOT NULL DEFAULT '',
    region      text COLLATE "C" NOT NULL DEFAULT '',
    traits      jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    merged_into bigint
);
CREATE INDEX people_email ON people (email);
-- No index on people (account_id): an account's headcount is a scan, but
-- every index here is paid for on each of a million imported people.

-- records.person_id and records.account_id are deliberately not foreign
-- keys. A foreign-key check locks the referenced row: on a million-row
-- import that is a WAL record and a dirtied page per row, about half the
-- cost of the insert. The store checks account ids set-wise before writing
-- (rejecting unknown ones) and takes person ids from the same transaction.
CREATE TABLE records (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL,
    system     text COLLATE "C" NOT NULL,
    system_id  text COLLATE "C" NOT NULL,
    email      text COLLATE "C" NOT NULL DEFAULT '',
    email_key  text COLLATE "C" NOT NULL DEFAULT '',
    first_name text COLLATE "C" NOT NULL DEFAULT '',
    last_name  text COLLATE "C" NOT NULL DEFAULT '',
    title      text COLLATE "C" NOT NULL DEFAULT '',
    phone      text COLLATE "C" NOT NULL DEFAULT '',
    account_id text COLLATE "C",
    country    text COLLATE "C" NOT NULL DEFAULT '',
    region     text COLLATE "C" NOT NULL DEFAULT '',
    traits     jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz,
    updated_at timestamptz,
    -- The natural key, system_id first: the same index then finds the
    -- records an event's userId names (any system), and there is one
    -- index fewer to maintain on million-row imports.
    CONSTRAINT records_system_id_system_key UNIQUE (system_id, system)
);
CREATE INDEX records_email_key ON records (email_key);
CREATE INDEX records_person_id ON records (person_id);

-- NULLS NOT DISTINCT so a fact without a date is still one fact.
CREATE TABLE consent (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    system    text COLLATE "C" NOT NULL,
    system_id text COLLATE "C" NOT NULL DEFAULT '',
    email     text COLLATE "C" NOT NULL DEFAULT '',
    channel   text COLLATE "C" NOT NULL,
    status    text COLLATE "C" NOT NULL,
    reason    text COLLATE "C" NOT NULL DEFAULT '',
    at        timestamptz,
    record_id bigint,
    person_id bigint,
    UNIQUE NULLS NOT DISTINCT (system, system_id, email, channel, status, at)
);
CREATE INDEX consent_person_id ON consent (person_id, at);
CREATE INDEX consent_email ON consent (email);

CREATE TABLE holdings (
    account_id   text COLLATE "C" NOT NULL REFERENCES accounts (id),
    product_id   text COLLATE "C" NOT NULL REFERENCES products (id),
    person_email text COLLATE "C" NOT NULL DEFAULT '',
    since        date,
    seats        integer NOT NULL DEFAULT 0,
    mrr          double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, product_id, person_email)
);
CREATE INDEX holdings_product_id ON holdings (product_id);

CREATE TABLE campaigns (
    id         text COLLATE "C" PRIMARY KEY,
    name       text COLLATE "C" NOT NULL DEFAULT '',
    channel    text COLLATE "C" NOT NULL DEFAULT '',
    owner_id   text COLLATE "C" REFERENCES owners (id),
    start_date date,
    end_date   date,
    budget     double precision NOT NULL DEFAULT 0,
    goal       text COLLATE "C" NOT NULL DEFAULT '',
    segment    text COLLATE "C" NOT NULL DEFAULT '',
    traits     jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE campaign_days (
    campaign_id  text COLLATE "C" NOT NULL REFERENCES campaigns (id),
    date         date NOT NULL,
    variant      text COLLATE "C" NOT NULL DEFAULT '',
    sends        bigint NOT NULL DEFAULT 0,
    delivered    bigint NOT NULL DEFAULT 0,
    opens        bigint NOT NULL DEFAULT 0,
    clicks       bigint NOT NULL DEFAULT 0,
    conversions  bigint NOT NULL DEFAULT 0,
    spend        double precision NOT NULL DEFAULT 0,
    revenue      double precision NOT NULL DEFAULT 0,
    unsubscribes bigint NOT NULL DEFAULT 0,
    hard_bounces bigint NOT NULL DEFAULT 0,
    complaints   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, date, variant)
);

CREATE TABLE licenses (
    tool                text COLLATE "C" PRIMARY KEY,
    vendor              text COLLATE "C" NOT NULL DEFAULT '',
    category            text COLLATE "C" NOT NULL DEFAULT '',
    seats               integer NOT NULL DEFAULT 0,
    cost_per_seat_month double precision NOT NULL DEFAULT 0,
    renewal_date        date,
    owner_email         text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE license_usage (
    tool           text COLLATE "C" NOT NULL REFERENCES licenses (tool),
    user_email     text COLLATE "C" NOT NULL,
    last_active_at timestamptz,
    actions_30d    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tool, user_email)
);

CREATE TABLE templates (
    id          text COLLATE "C" PRIMARY KEY,
    esp         text COLLATE "C" NOT NULL DEFAULT '',
    dialect     text COLLATE "C" NOT NULL DEFAULT '',
    subject     text COLLATE "C" NOT NULL DEFAULT '',
    campaign_id text COLLATE "C" NOT NULL DEFAULT '',
    segment     text COLLATE "C" NOT NULL DEFAULT '',
    path        text COLLATE "C" NOT NULL DEFAULT '',
    body        text COLLATE "C" NOT NULL DEFAULT '',
    traits      jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id   text COLLATE "C" NOT NULL UNIQUE,
    type         text COLLATE "C" NOT NULL DEFAULT '',
    user_id      text COLLATE "C" NOT NULL DEFAULT '',
    anonymous_id text COLLATE "C" NOT NULL DEFAULT '',
    event        text COLLATE "C" NOT NULL DEFAULT '',
    name         text COLLATE "C" NOT NULL DEFAULT '',
    group_id     text COLLATE "C" NOT NULL DEFAULT '',
    previous_id  text COLLATE "C" NOT NULL DEFAULT '',
    email        text COLLATE "C" NOT NULL DEFAULT '',
    properties   jsonb,
    traits       jsonb,
    context      jsonb,
    timestamp    timestamptz,
    received_at  timestamptz,
    person_id    bigint
);
CREATE INDEX events_person_time ON events (person_id, timestamp);
CREATE INDEX events_event_time ON events (event, timestamp);
CREATE INDEX events_time ON events (timestamp, id);
