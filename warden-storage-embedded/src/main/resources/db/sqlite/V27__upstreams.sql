-- The verifying proxy's memory of its uplinks (times as epoch milliseconds).
-- Each upstream packument as last received: served stale when the uplink is down, revalidated by ETag.
CREATE TABLE upstream_packuments (
    name     TEXT PRIMARY KEY,
    uplink   TEXT NOT NULL,
    body     BLOB NOT NULL,
    etag     TEXT,
    fetched  INTEGER NOT NULL,
    checked  INTEGER NOT NULL
);

-- Each upstream version ingested, as verified once: a row is never replaced by a later fetch, so a
-- tarball swapped upstream under a known version cannot reach clients.
CREATE TABLE upstream_versions (
    name          TEXT NOT NULL,
    version       TEXT NOT NULL,
    uplink        TEXT NOT NULL,
    integrity     TEXT NOT NULL,
    blob_key      TEXT,
    size          INTEGER NOT NULL,
    state         TEXT NOT NULL,
    reason        TEXT,
    verified      TEXT NOT NULL,
    attestations  BLOB,
    ingested      INTEGER NOT NULL,
    log_index     INTEGER,
    PRIMARY KEY (name, version)
);

-- Versions withheld by an admin or an advisory; version '*' is every version of the name.
CREATE TABLE upstream_quarantines (
    name     TEXT NOT NULL,
    version  TEXT NOT NULL,
    reason   TEXT NOT NULL,
    source   TEXT NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE INDEX upstream_quarantines_at ON upstream_quarantines (at);

-- What an uplink did that an operator should know of, listed newest first.
CREATE TABLE upstream_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    uplink   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    name     TEXT,
    version  TEXT,
    detail   TEXT,
    at       INTEGER NOT NULL
);
