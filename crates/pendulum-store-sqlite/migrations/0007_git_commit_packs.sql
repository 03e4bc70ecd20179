-- The commits a git ingest remembers, as one compact blob per ingest (see the store's
-- commit_pack module for the layout) rather than one row per commit: they are only ever
-- read and written whole, and a row each cost as much time as reading the repository.
-- Rows of the old git_commits table are moved into a pack, and the table dropped, by the
-- store when it opens the database (the layout is written in code, not SQL).

CREATE TABLE git_commit_packs (
    seq INTEGER NOT NULL PRIMARY KEY,
    commits INTEGER NOT NULL CHECK (commits >= 0),
    data BLOB NOT NULL
);
