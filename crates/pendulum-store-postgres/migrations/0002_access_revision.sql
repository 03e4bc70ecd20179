-- The access revision: a counter in `settings` that moves with every change to an account
-- or an API token, so that a server may keep the account behind a token for as long as the
-- counter stands still and still see a revoked token or a disabled account on the very
-- next request. Triggers keep it, so that no write path can forget to. Creating an account
-- or a token does not move it: nothing kept before can be wrong about a new one.
CREATE FUNCTION move_access_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO settings (key, value) VALUES ('access_revision', '1')
    ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text;
    RETURN NULL;
END
$$;

CREATE TRIGGER accounts_move_access AFTER UPDATE OR DELETE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION move_access_revision();

CREATE TRIGGER api_tokens_move_access AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION move_access_revision();
