-- What an ingest of git history remembers between runs, so that the next run reads only
-- commits it has not seen. Evidence (git_evidence) is derived from these rows: a
-- repository holds the commits reachable from its tips over the parents recorded here.
-- Object ids are their 20 raw bytes (BYTEA on PostgreSQL); lists of ids are concatenated.

CREATE TABLE git_repositories (
    path TEXT NOT NULL PRIMARY KEY,
    tips BLOB NOT NULL,
    shallow INTEGER NOT NULL CHECK (shallow IN (0, 1)),
    mailmap TEXT NOT NULL
) WITHOUT ROWID;

-- Every commit read, once, whatever repositories hold it. The author is kept as written:
-- mailmaps and people's addresses are applied when evidence is computed, so a change of
-- either needs no reading of the repositories again.
CREATE TABLE git_commits (
    id BLOB NOT NULL PRIMARY KEY,
    parents BLOB NOT NULL,
    month TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_email TEXT NOT NULL,
    -- The values of the Co-authored-by trailers, one per line.
    coauthors TEXT NOT NULL,
    lines_added INTEGER CHECK (lines_added >= 0),
    lines_removed INTEGER CHECK (lines_removed >= 0)
) WITHOUT ROWID;
