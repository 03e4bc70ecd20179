-- The career ledger and the stored policy.
--
-- The PostgreSQL schema mirrors this one table for table and column for column, so the
-- column types stay portable: dates are ISO 8601 text ('YYYY-MM-DD'), months 'YYYY-MM',
-- ISO weeks 'YYYY-Www', booleans INTEGER 0 or 1, hours REAL (DOUBLE PRECISION there).
-- Tables keyed by text are WITHOUT ROWID: the rows are small, and the table itself is then
-- ordered by its key, so that reading it in key order needs neither a sort nor an index.

CREATE TABLE teams (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    -- Deferred: a change may insert a team before the team that contains it.
    parent TEXT REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;

-- While a deferred reference is unresolved, every insert of a parent row looks for the
-- rows that name it; these indexes keep that look-up from scanning the table.
CREATE INDEX teams_parent ON teams (parent);

CREATE TABLE people (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    level TEXT NOT NULL,
    team TEXT REFERENCES teams (id),
    -- Deferred: a change may insert a person before their manager.
    manager TEXT REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    willing_to_manage TEXT NOT NULL CHECK (willing_to_manage IN ('yes', 'no', 'unknown'))
) WITHOUT ROWID;

CREATE INDEX people_manager ON people (manager);

-- Further addresses of a person, in the order they were given.
CREATE TABLE person_aliases (
    person TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    email TEXT NOT NULL UNIQUE,
    PRIMARY KEY (person, position)
) WITHOUT ROWID;

CREATE TABLE stints (
    person TEXT NOT NULL REFERENCES people (id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    role TEXT NOT NULL CHECK (role IN ('engineer', 'tech_lead', 'manager', 'hybrid')),
    team TEXT REFERENCES teams (id),
    level TEXT NOT NULL,
    chosen INTEGER NOT NULL CHECK (chosen IN (0, 1)),
    trial_end TEXT,
    PRIMARY KEY (person, start_date)
) WITHOUT ROWID;

-- Check-ins have no natural key: the id keeps the order they were recorded in, which is
-- the order of two check-ins of one person on one day.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    person TEXT NOT NULL REFERENCES people (id),
    day TEXT NOT NULL,
    joy INTEGER NOT NULL CHECK (joy BETWEEN 1 AND 5),
    energy INTEGER NOT NULL CHECK (energy BETWEEN 1 AND 5),
    learning INTEGER NOT NULL CHECK (learning BETWEEN 1 AND 5),
    note TEXT
);

CREATE TABLE git_evidence (
    person TEXT NOT NULL REFERENCES people (id),
    month TEXT NOT NULL,
    commits INTEGER NOT NULL CHECK (commits >= 0),
    merges INTEGER NOT NULL CHECK (merges >= 0),
    coauthored INTEGER NOT NULL CHECK (coauthored >= 0),
    repositories INTEGER NOT NULL CHECK (repositories >= 0),
    lines_added INTEGER CHECK (lines_added >= 0),
    lines_removed INTEGER CHECK (lines_removed >= 0),
    partial INTEGER NOT NULL CHECK (partial IN (0, 1)),
    PRIMARY KEY (person, month)
) WITHOUT ROWID;

CREATE TABLE calendar_evidence (
    person TEXT NOT NULL REFERENCES people (id),
    week TEXT NOT NULL,
    meeting_hours REAL NOT NULL,
    focus_hours REAL NOT NULL,
    fragmented_hours REAL NOT NULL,
    after_hours REAL NOT NULL,
    PRIMARY KEY (person, week)
) WITHOUT ROWID;

-- Values that are not part of the ledger, such as the policy (as TOML text).
CREATE TABLE settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
