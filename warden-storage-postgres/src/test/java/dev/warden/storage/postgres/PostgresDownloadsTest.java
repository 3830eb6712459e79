package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.DownloadsContract;

import java.util.function.Supplier;

/** The downloads contract on a real PostgreSQL: two stores over one database are two nodes. */
class PostgresDownloadsTest extends DownloadsContract {

    @Override
    protected Supplier<MetadataStore> newDatabase() {
        return PgTestStore.newDatabase();
    }
}
