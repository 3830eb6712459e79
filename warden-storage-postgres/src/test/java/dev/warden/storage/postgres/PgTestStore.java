package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.tests.PostgresCluster;

import java.util.function.Supplier;

/** The driver's metadata stores over a new database of the shared test cluster, for contracts. */
final class PgTestStore {

    private PgTestStore() {}

    /** A new database: each call of the supplier opens another store over it, as a node would. */
    static Supplier<MetadataStore> newDatabase() {
        PostgresCluster pg = PostgresCluster.shared();
        PostgresStorage.Settings settings =
                new PostgresStorage.Settings(
                        pg.jdbcUrl(pg.newDatabase()),
                        pg.user(),
                        pg.password(),
                        4,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        true,
                        "");
        return () -> PostgresMetadataStore.open(settings);
    }
}
