-- Governance: each package's versioned policy, and staged releases awaiting approval.
CREATE TABLE governance_policies (
    package    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    policy     TEXT NOT NULL,
    created    INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (package, version)
);

CREATE TABLE stages (
    id             TEXT PRIMARY KEY,
    package        TEXT NOT NULL,
    version        TEXT NOT NULL,
    tag            TEXT NOT NULL,
    document       TEXT NOT NULL,
    blob_key       TEXT NOT NULL,
    shasum         TEXT NOT NULL,
    integrity      TEXT NOT NULL,
    actor          TEXT NOT NULL,
    actor_type     TEXT NOT NULL,
    publisher      TEXT,
    required       INTEGER NOT NULL,
    self_approval  INTEGER NOT NULL,
    cool_off_until INTEGER,
    created        INTEGER NOT NULL,
    expires        INTEGER NOT NULL,
    state          TEXT NOT NULL,
    decided        INTEGER,
    decided_by     TEXT
);
CREATE INDEX stages_package ON stages (package, state);
CREATE INDEX stages_open ON stages (state, expires);

CREATE TABLE stage_approvals (
    stage_id  TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (stage_id, user_name)
);
