package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.DownloadsContract;

import org.junit.jupiter.api.Assumptions;

import java.util.function.Supplier;

/** The downloads contract on a real PostgreSQL: two stores over one database are two nodes. */
class PostgresDownloadsTest extends DownloadsContract {

    @Override
    protected Supplier<MetadataStore> newDatabase() {
        Supplier<MetadataStore> db = PgTestStore.newDatabase();
        // the downloads table comes with the whole schema's translation (V1__registry.sql)
        Assumptions.assumeTrue(
                PgTestStore.hasTable(db, "downloads"), "no downloads table in db/postgres yet");
        return db;
    }
}
