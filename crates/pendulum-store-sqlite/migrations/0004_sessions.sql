-- Signed-in browser sessions. The cookie holds a random id; only its SHA-256 is stored, so
-- a copy of the database cannot be used to take over a session. Times are Unix seconds
-- written by the server, which enforces the idle and absolute timeouts.

CREATE TABLE sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);

CREATE INDEX sessions_account ON sessions (account);
