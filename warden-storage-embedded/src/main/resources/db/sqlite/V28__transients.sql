-- Short-lived records every node must see and a restart must keep (web login and web OTP requests,
-- passkey ceremonies, throttles, the credential guards' streaks). Expiry in epoch milliseconds;
-- reads ignore expired rows and a purge removes them.
CREATE TABLE transients (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    value       TEXT NOT NULL,
    owner       TEXT NOT NULL DEFAULT '',
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE INDEX transients_owner ON transients (kind, owner);
CREATE INDEX transients_expiry ON transients (expires_at);
