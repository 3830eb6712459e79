-- Private security advisories before publication: the draft, who may read it, and its discussion.
CREATE TABLE advisory_drafts (
    id          TEXT PRIMARY KEY,
    package     TEXT NOT NULL,
    affected    TEXT NOT NULL,
    severity    TEXT NOT NULL,
    summary     TEXT NOT NULL,
    details     TEXT,
    patched     TEXT,
    refs        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    osv_id      TEXT
);
CREATE INDEX advisory_drafts_package ON advisory_drafts (package, created);
CREATE INDEX advisory_drafts_creator ON advisory_drafts (created_by, created);

CREATE TABLE advisory_invites (
    draft       TEXT NOT NULL REFERENCES advisory_drafts (id),
    user        TEXT NOT NULL,
    invited_by  TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (draft, user)
);
CREATE INDEX advisory_invites_user ON advisory_invites (user);

CREATE TABLE advisory_comments (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    draft  TEXT NOT NULL REFERENCES advisory_drafts (id),
    user   TEXT NOT NULL,
    text   TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX advisory_comments_draft ON advisory_comments (draft, id);
