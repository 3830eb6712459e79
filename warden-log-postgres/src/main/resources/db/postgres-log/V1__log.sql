-- The transparency logs shared by the nodes ("registry", "ct", "rekor"), keyed by log name.
-- Entries, the changed tiles and the head change together in one transaction per integrated
-- batch, and that transaction also removes the batch's rows from the queue.
CREATE TABLE tlog_entries (
    log       TEXT   NOT NULL,
    idx       BIGINT NOT NULL,
    leaf_hash BYTEA  NOT NULL,
    data      BYTEA  NOT NULL,
    PRIMARY KEY (log, idx)
);
CREATE UNIQUE INDEX tlog_entries_leaf_hash ON tlog_entries (log, leaf_hash);

CREATE TABLE tlog_tiles (
    log    TEXT    NOT NULL,
    level  INTEGER NOT NULL,
    idx    BIGINT  NOT NULL,
    hashes BYTEA   NOT NULL,
    PRIMARY KEY (log, level, idx)
);
-- Hashes do not compress.
ALTER TABLE tlog_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL;

-- The checkpoint of the last integration; its size is what the sequencer's compare-and-set checks.
CREATE TABLE tlog_heads (
    log  TEXT   PRIMARY KEY,
    size BIGINT NOT NULL,
    note TEXT   NOT NULL
);

-- Appends from any node wait here until the node holding the log's lease integrates them.
CREATE TABLE tlog_queue (
    id        BIGSERIAL PRIMARY KEY,
    log       TEXT  NOT NULL,
    leaf_hash BYTEA NOT NULL,
    data      BYTEA NOT NULL
);
CREATE UNIQUE INDEX tlog_queue_leaf_hash ON tlog_queue (log, leaf_hash);
CREATE INDEX tlog_queue_order ON tlog_queue (log, id);
