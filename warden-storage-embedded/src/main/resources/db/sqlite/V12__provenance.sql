-- Verified provenance of published versions (the Sigstore bundle kept whole, and the build facts
-- later versions are compared with), and why a stage was held when no policy asked for it.
CREATE TABLE provenance (
    package            TEXT NOT NULL,
    version            TEXT NOT NULL,
    predicate_type     TEXT NOT NULL,
    bundle             TEXT NOT NULL,
    facts              TEXT NOT NULL,
    publish_attestation TEXT NOT NULL,
    created            INTEGER NOT NULL,
    PRIMARY KEY (package, version)
);
CREATE INDEX provenance_latest ON provenance (package, created);

ALTER TABLE stages ADD COLUMN hold_reason TEXT;
