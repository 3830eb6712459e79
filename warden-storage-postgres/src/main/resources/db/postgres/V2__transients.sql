-- Short-lived records every node must see and a restart must keep (web login and web OTP requests,
-- passkey ceremonies, throttles, the credential guards' streaks). Expiry in epoch milliseconds;
-- reads ignore expired rows and a purge removes them. The rows are rewritten often and worth
-- nothing after a crash of the database, but UNLOGGED tables are not replicated to standbys, so
-- the table is an ordinary one.
CREATE TABLE transients (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    value       TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE INDEX transients_owner ON transients (kind, owner);
CREATE INDEX transients_expiry ON transients (expires_at);
