package dev.warden.log.sqlite;

import dev.warden.log.LogStore;
import dev.warden.log.LogStoreContract;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The log over its SQLite store: restarts, deduplication, and concurrent appends across a level-2
 * tile (the contract every log store passes).
 */
class SqliteLogTest extends LogStoreContract {

    @TempDir Path dir;

    @Override
    protected LogStore openStore() {
        return SqliteLogStore.open(dir.resolve("log.db"));
    }
}
