-- Published OSV records (advisories and confirmed malware), as served, and the packages each affects.
CREATE TABLE osv_records (
    id         TEXT PRIMARY KEY,
    prefix     TEXT NOT NULL,
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    json       BLOB NOT NULL,
    modified   INTEGER NOT NULL,
    withdrawn  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX osv_records_number ON osv_records (prefix, year, number);

CREATE TABLE osv_affected (
    id       TEXT NOT NULL REFERENCES osv_records (id),
    package  TEXT NOT NULL,
    PRIMARY KEY (package, id)
);
