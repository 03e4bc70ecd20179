-- A person has at most one check-in a day, and a note holds at most 4096 bytes.
--
-- Of several check-ins of one person on one day, the one recorded last is kept: a second
-- check-in now replaces the first, so this is what the ledger would have held.
DELETE FROM checkins
WHERE id NOT IN (SELECT max(id) FROM checkins GROUP BY person, day);

-- A longer note is cut to its first 1024 characters, which are at most 4096 bytes of UTF-8
-- (SQLite cuts text by characters, not bytes).
UPDATE checkins SET note = substr(note, 1, 1024)
WHERE note IS NOT NULL AND length(CAST(note AS BLOB)) > 4096;

CREATE UNIQUE INDEX checkins_one_per_day ON checkins (person, day);
