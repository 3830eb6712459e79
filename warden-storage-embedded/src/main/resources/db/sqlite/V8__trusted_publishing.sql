-- Trusted publishers: the CI identities allowed to publish a package without a stored token.
CREATE TABLE trusted_publishers (
    id          TEXT PRIMARY KEY,
    package     TEXT NOT NULL,
    type        TEXT NOT NULL,
    claims      TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created     INTEGER NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX trusted_publishers_package ON trusted_publishers (package);

-- Short-lived tokens issued for a verified CI identity, limited to one package.
CREATE TABLE publish_tokens (
    token_hash  TEXT PRIMARY KEY,
    package     TEXT NOT NULL,
    trust_id    TEXT NOT NULL,
    permissions TEXT NOT NULL,
    identity    TEXT NOT NULL,
    created     INTEGER NOT NULL,
    expires     INTEGER NOT NULL
);

-- ID tokens already exchanged, kept until they expire, so none is used twice.
CREATE TABLE used_id_tokens (
    token_key TEXT PRIMARY KEY,
    expires   INTEGER NOT NULL
);

ALTER TABLE package_mfa ADD COLUMN require_trusted_publisher INTEGER NOT NULL DEFAULT 0;
