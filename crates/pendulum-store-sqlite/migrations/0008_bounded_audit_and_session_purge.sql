-- The audit log keeps no more client text than the server now writes, and expired sessions
-- can be found without reading them all.
--
-- Before this version a refused sign-in wrote the email field as sent, however long: as the
-- subject when rate-limited, as the actor when it parsed as an address. The store now cuts
-- a subject at 256 characters and an address has at most 254, so rows written before are
-- brought within the same bounds here (the file shrinks at the next VACUUM). An actor
-- longer than any address was never an account: it becomes unknown.

UPDATE audit_log SET subject = substr(subject, 1, 256) WHERE length(subject) > 256;
UPDATE audit_log SET actor = NULL WHERE length(actor) > 254;

-- The server deletes sessions idle or old past their timeouts every few minutes.
CREATE INDEX sessions_last_seen ON sessions (last_seen);
CREATE INDEX sessions_created_at ON sessions (created_at);
