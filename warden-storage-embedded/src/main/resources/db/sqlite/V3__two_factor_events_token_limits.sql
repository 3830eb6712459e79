-- TOTP second factor: one row per account that has enabled (or is enabling) it.
CREATE TABLE two_factor (
    user_name TEXT PRIMARY KEY,
    secret    TEXT NOT NULL,
    mode      TEXT NOT NULL,
    pending   INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    recovery  TEXT NOT NULL,
    created   INTEGER NOT NULL
);

-- Append-only account history: logins, failures, 2FA and token changes, publishes, owner changes.
CREATE TABLE security_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT NOT NULL,
    kind      TEXT NOT NULL,
    at        INTEGER NOT NULL,
    address   TEXT,
    detail    TEXT NOT NULL
);
CREATE INDEX security_events_user ON security_events (user_name, id);

-- Per-package two-factor requirement (npm access set mfa=...).
CREATE TABLE package_mfa (
    name                  TEXT PRIMARY KEY,
    publish_requires_tfa  INTEGER NOT NULL,
    automation_overrides  INTEGER NOT NULL
);

-- Granular token limits.
ALTER TABLE tokens ADD COLUMN name TEXT;
ALTER TABLE tokens ADD COLUMN description TEXT;
ALTER TABLE tokens ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tokens ADD COLUMN bypass_2fa INTEGER NOT NULL DEFAULT 0;
