-- Accounts of the web dashboard and API, their API tokens, and the audit log.
--
-- Secrets are never stored: passwords as Argon2id hashes (PHC strings), API tokens as the
-- SHA-256 of the token. The audit log records who did what to whose data, never note text
-- or secrets. Timestamps are UTC text written by the database.

CREATE TABLE accounts (
    email TEXT NOT NULL PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('member', 'manager', 'admin')),
    person TEXT REFERENCES people (id) ON DELETE SET NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE api_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at TEXT
);

CREATE INDEX api_tokens_account ON api_tokens (account);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    outcome TEXT NOT NULL
);
