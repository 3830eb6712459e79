-- WebAuthn credentials (passkeys and security keys), and each account's WebAuthn user handle.
CREATE TABLE passkey_users (
    user_name TEXT PRIMARY KEY,
    handle    TEXT NOT NULL UNIQUE
);

CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    user_name     TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    sign_count    INTEGER NOT NULL,
    nickname      TEXT,
    created       INTEGER NOT NULL
);
CREATE INDEX passkeys_user ON passkeys (user_name);
