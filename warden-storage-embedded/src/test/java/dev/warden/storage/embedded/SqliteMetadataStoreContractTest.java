package dev.warden.storage.embedded;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.MetadataStoreContract;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The metadata store contract on SQLite: a new database file for each test. */
class SqliteMetadataStoreContractTest extends MetadataStoreContract {

    @TempDir Path dir;

    @Override
    protected MetadataStore newStore() {
        return SqliteMetadataStore.open(dir.resolve("contract.db"));
    }
}
