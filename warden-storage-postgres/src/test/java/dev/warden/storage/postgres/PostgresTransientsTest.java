package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.TransientsContract;

import java.util.function.Supplier;

/** The transients contract on a real PostgreSQL: two stores over one database are two nodes. */
class PostgresTransientsTest extends TransientsContract {

    @Override
    protected Supplier<MetadataStore> newDatabase() {
        return PgTestStore.newDatabase();
    }
}
