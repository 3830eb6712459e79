-- Critical changes to governed packages, held until the policy's quorum approves them.
CREATE TABLE change_requests (
    id         TEXT PRIMARY KEY,
    package    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    actor      TEXT NOT NULL,
    required   INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    expires    INTEGER NOT NULL,
    state      TEXT NOT NULL,
    decided    INTEGER,
    decided_by TEXT
);
CREATE INDEX change_requests_package ON change_requests (package, state);

CREATE TABLE change_approvals (
    request_id TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (request_id, user_name)
);
