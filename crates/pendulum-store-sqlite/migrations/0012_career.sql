-- A career past its first stint: people who left (and may come back), stints lived in
-- another org and brought with a personal ledger, and the history of corrections.

-- The first day a person is gone, and why, while they are away; both NULL otherwise.
ALTER TABLE people ADD COLUMN left_on TEXT;
ALTER TABLE people ADD COLUMN leave_reason TEXT;

-- The org a stint was lived in, when it came from another pendulum; NULL for this org's.
ALTER TABLE stints ADD COLUMN org TEXT;

-- What each correction changed, with who made it and when. The ledger tables hold the
-- current state; this is for accountability and is never read into the ledger.
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor TEXT,
    person TEXT NOT NULL,
    record TEXT NOT NULL,
    field TEXT NOT NULL,
    before TEXT,
    after TEXT
);

CREATE INDEX corrections_person ON corrections (person, id);
