-- What the next release's review needs of each reviewed release (files' digests and scans), so
-- that review does not unpack and rescan this release's tarball. Written with the release (or its
-- stage); a release without a row (published before this table) is read from its tarball.
CREATE TABLE release_summaries (
    package  TEXT NOT NULL,
    version  TEXT NOT NULL,
    summary  BLOB NOT NULL,
    PRIMARY KEY (package, version)
);
