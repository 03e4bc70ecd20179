-- Private reflections and the anonymous pendulum pulse.
--
-- A reflection belongs to its author's account and is read by nobody else. The pulse keeps
-- who took part apart from what was answered: `pulse_participants` stops a second answer in
-- the same year, `pulse_answers` holds the answers with no link to a person, so the
-- results can only ever be read in aggregate.

CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    day TEXT NOT NULL,
    answers TEXT NOT NULL
);

CREATE INDEX reflections_account ON reflections (account);

CREATE TABLE pulse_participants (
    account TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    PRIMARY KEY (account, year)
);

CREATE TABLE pulse_answers (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    grp TEXT NOT NULL CHECK (grp IN ('ic', 'manager')),
    must_manage_to_grow INTEGER NOT NULL CHECK (must_manage_to_grow BETWEEN 1 AND 5),
    fear_going_back INTEGER NOT NULL CHECK (fear_going_back BETWEEN 1 AND 5)
);
