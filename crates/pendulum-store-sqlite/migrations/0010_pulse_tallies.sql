-- The pulse keeps counts, not answers.
--
-- One row per answer, even apart from who gave it, kept an order (its row id) that the
-- participants' rows share, so the two tables could be lined up. `pulse_tallies` holds, per
-- year, group, statement and score, how many gave that score: no row belongs to anyone and
-- the table has no insertion order (WITHOUT ROWID, keyed by what it counts). A year's results
-- are shown only once its pulse is closed, by the policy's date or by an admin
-- (`pulse_closed`), so nobody can read the results before and after one answer.

CREATE TABLE pulse_tallies (
    year INTEGER NOT NULL,
    grp TEXT NOT NULL CHECK (grp IN ('ic', 'manager')),
    statement TEXT NOT NULL CHECK (statement IN ('must_manage_to_grow', 'fear_going_back')),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    answers INTEGER NOT NULL CHECK (answers >= 0),
    PRIMARY KEY (year, grp, statement, score)
) WITHOUT ROWID;

INSERT INTO pulse_tallies (year, grp, statement, score, answers)
SELECT year, grp, 'must_manage_to_grow', must_manage_to_grow, COUNT(*)
FROM pulse_answers GROUP BY year, grp, must_manage_to_grow;

INSERT INTO pulse_tallies (year, grp, statement, score, answers)
SELECT year, grp, 'fear_going_back', fear_going_back, COUNT(*)
FROM pulse_answers GROUP BY year, grp, fear_going_back;

DROP TABLE pulse_answers;

-- Participation, without row ids either: who took part in a year, in no order.
CREATE TABLE pulse_participation (
    account TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    PRIMARY KEY (account, year)
) WITHOUT ROWID;

INSERT INTO pulse_participation (account, year) SELECT account, year FROM pulse_participants;

DROP TABLE pulse_participants;

CREATE TABLE pulse_closed (
    year INTEGER NOT NULL PRIMARY KEY,
    closed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
