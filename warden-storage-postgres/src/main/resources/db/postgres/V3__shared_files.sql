-- Files every node must hold the same copy of (the registry's signing keys, the logs' keys, the
-- TUF keys, the CA): kept here and written into each node's <data>/keys/ at start (SharedFiles).
CREATE TABLE shared_files (
    path  TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL
);
