-- Phishing defence. Every mail the registry sends carries a verification code: what it was, to whom
-- and when, so /-/web/verify-message can tell a real message from a forged one.
CREATE TABLE sent_messages (
    code      TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject   TEXT NOT NULL,
    sent_at   INTEGER NOT NULL
);

-- The addresses each account has signed in from (a sign-in from another one steps up).
CREATE TABLE known_sign_ins (
    user_name  TEXT NOT NULL,
    address    TEXT NOT NULL,
    client     TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (user_name, address)
);

-- One-time codes mailed to accounts without a second factor that sign in from a new address.
CREATE TABLE sign_in_codes (
    user_name TEXT NOT NULL,
    address   TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires   INTEGER NOT NULL,
    PRIMARY KEY (user_name, address)
);

-- Co-maintainers told that an account changed a package from a new address: once per address and
-- package.
CREATE TABLE new_address_alerts (
    user_name TEXT NOT NULL,
    address   TEXT NOT NULL,
    package   TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (user_name, address, package)
);

-- When a maintainer's grace period for adding a passkey began (recorded, never recomputed), and
-- when they were last reminded.
CREATE TABLE passkey_grace (
    user_name     TEXT PRIMARY KEY,
    started       INTEGER NOT NULL,
    last_reminded INTEGER
);
