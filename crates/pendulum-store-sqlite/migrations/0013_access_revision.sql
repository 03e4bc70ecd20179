-- The access revision: a counter in `settings` that moves with every change to an account
-- or an API token, so that a server may keep the account behind a token for as long as the
-- counter stands still and still see a revoked token or a disabled account on the very
-- next request. Triggers keep it, so that no write path can forget to. Creating an account
-- or a token does not move it: nothing kept before can be wrong about a new one.
CREATE TRIGGER accounts_update_moves_access AFTER UPDATE ON accounts
BEGIN
    INSERT INTO settings (key, value) VALUES ('access_revision', '1')
    ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT);
END;

CREATE TRIGGER accounts_delete_moves_access AFTER DELETE ON accounts
BEGIN
    INSERT INTO settings (key, value) VALUES ('access_revision', '1')
    ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT);
END;

CREATE TRIGGER api_tokens_update_moves_access AFTER UPDATE ON api_tokens
BEGIN
    INSERT INTO settings (key, value) VALUES ('access_revision', '1')
    ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT);
END;

CREATE TRIGGER api_tokens_delete_moves_access AFTER DELETE ON api_tokens
BEGIN
    INSERT INTO settings (key, value) VALUES ('access_revision', '1')
    ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT);
END;
