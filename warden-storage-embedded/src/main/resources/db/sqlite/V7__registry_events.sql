-- Changes the registry attests in its transparency log: written with the change, logged after commit.
CREATE TABLE registry_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    package   TEXT NOT NULL,
    version   TEXT,
    statement TEXT NOT NULL,
    at        INTEGER NOT NULL,
    log_index INTEGER
);
CREATE INDEX registry_events_unlogged ON registry_events (id) WHERE log_index IS NULL;
CREATE INDEX registry_events_package ON registry_events (package, kind, version);
