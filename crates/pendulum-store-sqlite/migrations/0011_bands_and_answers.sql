-- Pay bands on stints, and every answer about managing with its day.
--
-- A band is a whole number on one scale for both tracks, so that a swing can be seen to keep
-- pay; rows written before have none. A person's current answer (`willing_to_manage`) gets
-- the day it was given; `willing_answers` keeps every answer, the current one included, one
-- a person and day (a second on the same day replaces the first).

ALTER TABLE stints ADD COLUMN band INTEGER CHECK (band BETWEEN 0 AND 999);

ALTER TABLE people ADD COLUMN willing_since TEXT;

CREATE TABLE willing_answers (
    person TEXT NOT NULL REFERENCES people (id),
    day TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'unknown')),
    PRIMARY KEY (person, day)
) WITHOUT ROWID;
