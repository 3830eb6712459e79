-- The transparency log's own database. Entries, the tiles of the Merkle tree and the checkpoint
-- change together in one transaction per integrated batch.
CREATE TABLE entries (
    idx       INTEGER PRIMARY KEY,
    leaf_hash BLOB NOT NULL,
    data      BLOB NOT NULL
);
CREATE UNIQUE INDEX entries_leaf_hash ON entries (leaf_hash);

CREATE TABLE tiles (
    level  INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    hashes BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE checkpoint (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL,
    note TEXT NOT NULL
);
