package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.SharedMetadataStoreContract;

import java.util.List;

/** Two nodes' stores on one PostgreSQL database. */
class PostgresSharedStoreTest extends SharedMetadataStoreContract {

    @Override
    protected List<MetadataStore> openTwoNodes() {
        PostgresStorage.Settings settings = PgTestSettings.fresh(true);
        MetadataStore a = PostgresMetadataStore.open(settings);
        return List.of(a, PostgresMetadataStore.open(settings));
    }
}
