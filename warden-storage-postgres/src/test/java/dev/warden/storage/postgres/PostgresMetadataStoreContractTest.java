package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.MetadataStoreContract;

/** The metadata store contract on PostgreSQL: a new database of the test cluster for each test. */
class PostgresMetadataStoreContractTest extends MetadataStoreContract {

    @Override
    protected MetadataStore newStore() {
        return PostgresMetadataStore.open(PgTestSettings.fresh(true));
    }
}
