-- Files new in each release (added, or changed since the release it follows), by content: the
-- release review asks whether the same new file appeared in other packages within hours.
CREATE TABLE release_files (
    sha256   TEXT NOT NULL,
    package  TEXT NOT NULL,
    version  TEXT NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (sha256, package, version)
);
CREATE INDEX release_files_at ON release_files (sha256, at);

-- The review asks how many packages one account published lately.
CREATE INDEX versions_publisher ON versions (publisher, published);
