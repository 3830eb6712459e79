CREATE TABLE packages (
    name        TEXT PRIMARY KEY,
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
    rev         INTEGER NOT NULL,
    access      TEXT NOT NULL,
    unpublished INTEGER
);

CREATE TABLE versions (
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    manifest       TEXT NOT NULL,
    integrity      TEXT NOT NULL,
    shasum         TEXT NOT NULL,
    blob_key       TEXT NOT NULL,
    tarball_size   INTEGER NOT NULL,
    file_count     INTEGER NOT NULL,
    unpacked_size  INTEGER NOT NULL,
    published      INTEGER NOT NULL,
    publisher      TEXT NOT NULL,
    deprecated     TEXT,
    differences    TEXT,
    unpublished    INTEGER,
    PRIMARY KEY (name, version)
);
CREATE INDEX versions_blob ON versions (blob_key);

CREATE TABLE dist_tags (
    name    TEXT NOT NULL,
    tag     TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (name, tag)
);

CREATE TABLE maintainers (
    name      TEXT NOT NULL,
    user_name TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (name, user_name)
);
CREATE INDEX maintainers_user ON maintainers (user_name);

CREATE TABLE stars (
    name      TEXT NOT NULL,
    user_name TEXT NOT NULL,
    PRIMARY KEY (name, user_name)
);
CREATE INDEX stars_user ON stars (user_name);

CREATE TABLE packuments (
    name             TEXT PRIMARY KEY,
    full_doc         BLOB NOT NULL,
    full_gzip        BLOB NOT NULL,
    full_etag        TEXT NOT NULL,
    abbreviated      BLOB NOT NULL,
    abbreviated_gzip BLOB NOT NULL,
    abbreviated_etag TEXT NOT NULL
);

CREATE TABLE search_docs (
    name    TEXT PRIMARY KEY,
    text    TEXT NOT NULL,
    summary TEXT NOT NULL
);

CREATE TABLE dependencies (
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    PRIMARY KEY (name, version, depends_on)
);
CREATE INDEX dependencies_target ON dependencies (depends_on);

CREATE TABLE downloads (
    name  TEXT NOT NULL,
    day   TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (name, day)
);

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL,
    admin         INTEGER NOT NULL
);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    token_key  TEXT NOT NULL UNIQUE,
    user_name  TEXT NOT NULL,
    read_only  INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    expires    INTEGER,
    cidrs      TEXT NOT NULL,
    last_used  INTEGER
);
CREATE INDEX tokens_user ON tokens (user_name);
