-- The whole schema, as the SQLite migrations leave it after their last step.
--
-- Table for table and column for column the same as SQLite's, with the same keys, foreign
-- keys and checks, so that a database can be copied from one backend to the other; but in
-- PostgreSQL's own types: days are `date`, flags `boolean`, counts `bigint`, hours `double
-- precision`, object ids and commit packs `bytea`, and the times the database writes itself
-- `timestamptz`. Months ('YYYY-MM') and ISO weeks ('YYYY-Www') stay text, as the core writes
-- them. The SQLite migrations that repaired older data have nothing to repair here.
--
-- Ids, addresses, months, weeks and every other text that is a key or names one are
-- `COLLATE "C"`: compared and sorted byte by byte, as SQLite compares text, whatever the
-- database's collation. The ledger reads back in SQLite's order, and the many index look-ups
-- of a bulk write (keys, foreign keys) compare bytes rather than go through the locale.

-- The career ledger.

CREATE TABLE teams (
    id text COLLATE "C" NOT NULL PRIMARY KEY,
    name text NOT NULL,
    -- Deferred: a change may insert a team before the team that contains it.
    parent text COLLATE "C" REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED
);

-- Deleting or renaming a team looks for the rows that name it; these indexes keep that
-- look-up from scanning the table.
CREATE INDEX teams_parent ON teams (parent);

CREATE TABLE people (
    id text COLLATE "C" NOT NULL PRIMARY KEY,
    name text NOT NULL,
    email text COLLATE "C" NOT NULL UNIQUE,
    level text NOT NULL,
    team text COLLATE "C" REFERENCES teams (id),
    -- Deferred: a change may insert a person before their manager.
    manager text COLLATE "C" REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    willing_to_manage text NOT NULL CHECK (willing_to_manage IN ('yes', 'no', 'unknown')),
    -- The day the current answer about managing was given.
    willing_since date,
    -- The first day a person is gone, and why, while they are away; both NULL otherwise.
    left_on date,
    leave_reason text
);

CREATE INDEX people_manager ON people (manager);

-- Further addresses of a person, in the order they were given.
CREATE TABLE person_aliases (
    person text COLLATE "C" NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position bigint NOT NULL CHECK (position >= 0),
    email text COLLATE "C" NOT NULL UNIQUE,
    PRIMARY KEY (person, position)
);

CREATE TABLE stints (
    person text COLLATE "C" NOT NULL REFERENCES people (id),
    start_date date NOT NULL,
    end_date date,
    role text NOT NULL CHECK (role IN ('engineer', 'tech_lead', 'manager', 'hybrid')),
    team text COLLATE "C" REFERENCES teams (id),
    level text NOT NULL,
    chosen boolean NOT NULL,
    trial_end date,
    -- A whole number on one scale for both tracks; NULL when not known.
    band bigint CHECK (band BETWEEN 0 AND 999),
    -- The org a stint was lived in, when it came from another pendulum; NULL for this org's.
    org text,
    PRIMARY KEY (person, start_date)
);

-- Check-ins have no natural key: the id keeps the order they were recorded in. A person
-- has at most one a day.
CREATE TABLE checkins (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person text COLLATE "C" NOT NULL REFERENCES people (id),
    day date NOT NULL,
    joy bigint NOT NULL CHECK (joy BETWEEN 1 AND 5),
    energy bigint NOT NULL CHECK (energy BETWEEN 1 AND 5),
    learning bigint NOT NULL CHECK (learning BETWEEN 1 AND 5),
    note text
);

CREATE UNIQUE INDEX checkins_one_per_day ON checkins (person, day);

-- Every answer about managing, the current one included, one a person and day.
CREATE TABLE willing_answers (
    person text COLLATE "C" NOT NULL REFERENCES people (id),
    day date NOT NULL,
    answer text NOT NULL CHECK (answer IN ('yes', 'no', 'unknown')),
    PRIMARY KEY (person, day)
);

CREATE TABLE git_evidence (
    person text COLLATE "C" NOT NULL REFERENCES people (id),
    month text COLLATE "C" NOT NULL,
    commits bigint NOT NULL CHECK (commits >= 0),
    merges bigint NOT NULL CHECK (merges >= 0),
    coauthored bigint NOT NULL CHECK (coauthored >= 0),
    repositories bigint NOT NULL CHECK (repositories >= 0),
    lines_added bigint CHECK (lines_added >= 0),
    lines_removed bigint CHECK (lines_removed >= 0),
    partial boolean NOT NULL,
    PRIMARY KEY (person, month)
);

CREATE TABLE calendar_evidence (
    person text COLLATE "C" NOT NULL REFERENCES people (id),
    week text COLLATE "C" NOT NULL,
    meeting_hours double precision NOT NULL,
    focus_hours double precision NOT NULL,
    fragmented_hours double precision NOT NULL,
    after_hours double precision NOT NULL,
    PRIMARY KEY (person, week)
);

-- What each correction changed, with who made it and when. The ledger tables hold the
-- current state; this is for accountability and is never read into the ledger. `person`
-- has no foreign key: the history of a record outlives the record.
CREATE TABLE corrections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text,
    person text COLLATE "C" NOT NULL,
    record text NOT NULL,
    field text NOT NULL,
    before text,
    after text
);

CREATE INDEX corrections_person ON corrections (person, id);

-- Values that are not part of the ledger: the policy (as TOML text), the write counter,
-- what git ingests remember of people's identities.
CREATE TABLE settings (
    key text COLLATE "C" NOT NULL PRIMARY KEY,
    value text NOT NULL
);

-- Accounts of the web dashboard and API, their API tokens, sessions and the audit log.
--
-- Secrets are never stored: passwords as Argon2id hashes (PHC strings), API tokens and
-- session ids as their SHA-256. The audit log records who did what to whose data, never
-- note text or secrets.

CREATE TABLE accounts (
    email text COLLATE "C" NOT NULL PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('member', 'manager', 'admin')),
    person text COLLATE "C" REFERENCES people (id) ON DELETE SET NULL,
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
    id text COLLATE "C" NOT NULL PRIMARY KEY,
    account text COLLATE "C" NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    secret_hash text COLLATE "C" NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX api_tokens_account ON api_tokens (account);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text,
    action text NOT NULL,
    subject text,
    outcome text NOT NULL
);

-- Times are Unix seconds written by the server, which enforces the idle and absolute
-- timeouts and deletes expired sessions every few minutes.
CREATE TABLE sessions (
    id_hash text COLLATE "C" NOT NULL PRIMARY KEY,
    account text COLLATE "C" NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    csrf text NOT NULL,
    created_at bigint NOT NULL,
    last_seen bigint NOT NULL
);

CREATE INDEX sessions_account ON sessions (account);
CREATE INDEX sessions_last_seen ON sessions (last_seen);
CREATE INDEX sessions_created_at ON sessions (created_at);

-- What an ingest of git history remembers between runs, so that the next run reads only
-- commits it has not seen. Object ids are their 20 raw bytes; lists of ids are concatenated.

CREATE TABLE git_repositories (
    path text COLLATE "C" NOT NULL PRIMARY KEY,
    tips bytea NOT NULL,
    shallow boolean NOT NULL,
    mailmap text NOT NULL
);

-- The commits read, as one compact pack per ingest (see pendulum-store's commit_pack for
-- the layout): they are only ever read and written whole.
CREATE TABLE git_commit_packs (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commits bigint NOT NULL CHECK (commits >= 0),
    data bytea NOT NULL
);

-- Private reflections and the anonymous pendulum pulse.
--
-- A reflection belongs to its author's account and is read by nobody else. The pulse keeps
-- who took part apart from what was answered: `pulse_participation` stops a second answer
-- in the same year, `pulse_tallies` holds per year, group, statement and score how many
-- gave that score, so no row belongs to anyone.

CREATE TABLE reflections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account text COLLATE "C" NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    -- As the caller gave it, like SQLite's.
    day text COLLATE "C" NOT NULL,
    answers text NOT NULL
);

CREATE INDEX reflections_account ON reflections (account);

CREATE TABLE pulse_participation (
    account text COLLATE "C" NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    year bigint NOT NULL,
    PRIMARY KEY (account, year)
);

CREATE TABLE pulse_tallies (
    year bigint NOT NULL,
    grp text NOT NULL CHECK (grp IN ('ic', 'manager')),
    statement text NOT NULL CHECK (statement IN ('must_manage_to_grow', 'fear_going_back')),
    score bigint NOT NULL CHECK (score BETWEEN 1 AND 5),
    answers bigint NOT NULL CHECK (answers >= 0),
    PRIMARY KEY (year, grp, statement, score)
);

CREATE TABLE pulse_closed (
    year bigint NOT NULL PRIMARY KEY,
    closed_at timestamptz NOT NULL DEFAULT now()
);
