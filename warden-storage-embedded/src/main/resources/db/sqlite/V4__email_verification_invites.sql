-- Email verification links (stored as hashes of the secret in the link).
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    email      TEXT NOT NULL,
    expires    INTEGER NOT NULL,
    verified   INTEGER
);
CREATE INDEX email_verifications_user ON email_verifications (user_name);

-- Invitations for invite-only registration.
CREATE TABLE invites (
    user_name TEXT PRIMARY KEY,
    email     TEXT NOT NULL,
    created   INTEGER NOT NULL
);
