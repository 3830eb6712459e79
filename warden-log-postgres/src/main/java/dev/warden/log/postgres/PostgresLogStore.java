package dev.warden.log.postgres;

import dev.warden.log.LogStore;
import dev.warden.storage.postgres.PostgresStorage;

/**
 * A transparency log's store shared by several nodes: entries, tiles and checkpoint in PostgreSQL
 * (full tiles and entry bundles also as objects), appends from any node queued in the database, and
 * one sequencer at a time, chosen by a PostgreSQL advisory lock.
 */
public final class PostgresLogStore {

    private PostgresLogStore() {}

    /** The store of log {@code name} ("registry", "ct", "rekor") in {@code storage}. */
    public static LogStore open(PostgresStorage storage, String name) {
        throw new UnsupportedOperationException("placeholder: the log helper");
    }
}
