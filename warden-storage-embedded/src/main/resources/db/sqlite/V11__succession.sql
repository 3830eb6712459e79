-- Succession: the successors maintainers name, and the public notices of a handover or a claim.
CREATE TABLE successors (
    package   TEXT NOT NULL,
    user_name TEXT NOT NULL,
    named_by  TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (package, user_name)
);

CREATE TABLE succession_notices (
    id          TEXT PRIMARY KEY,
    package     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    candidate   TEXT NOT NULL,
    posted      INTEGER NOT NULL,
    window_ends INTEGER NOT NULL,
    state       TEXT NOT NULL,
    decided     INTEGER,
    decided_by  TEXT
);
CREATE INDEX succession_notices_package ON succession_notices (package, state);
