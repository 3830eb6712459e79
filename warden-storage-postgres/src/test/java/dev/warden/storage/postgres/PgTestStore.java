package dev.warden.storage.postgres;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.sql.SqlDialect;
import dev.warden.storage.sql.SqlTx;
import dev.warden.storage.tests.PostgresCluster;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A minimal store over a real PostgreSQL database for the views' contract tests, with the shared
 * design's transactions (writers serialized by an advisory lock, reads on a repeatable-read
 * snapshot), until the driver's own store runs these contracts.
 */
final class PgTestStore implements MetadataStore {

    private final Jdbi jdbi;

    private PgTestStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A new database on the shared cluster, migrated; each call of the supplier is a node. */
    static Supplier<MetadataStore> newDatabase() {
        PostgresCluster pg = PostgresCluster.shared();
        String url = pg.jdbcUrl(pg.newDatabase());
        Flyway.configure()
                .dataSource(url, pg.user(), pg.password())
                .locations("classpath:db/postgres")
                .load()
                .migrate();
        return () -> new PgTestStore(Jdbi.create(url, pg.user(), pg.password()));
    }

    static boolean hasTable(Supplier<MetadataStore> db, String table) {
        try (PgTestStore store = (PgTestStore) db.get()) {
            return store.jdbi.withHandle(
                    h ->
                            h.createQuery("SELECT to_regclass(?) IS NOT NULL")
                                    .bind(0, table)
                                    .mapTo(Boolean.class)
                                    .one());
        }
    }

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        return jdbi.inTransaction(
                TransactionIsolationLevel.READ_COMMITTED,
                h -> {
                    h.execute("SELECT pg_advisory_xact_lock(21)");
                    return work.apply(new SqlTx(h, SqlDialect.POSTGRES));
                });
    }

    @Override
    public <T> T read(Function<ReadTx, T> work) {
        return jdbi.inTransaction(
                TransactionIsolationLevel.REPEATABLE_READ,
                h -> work.apply(new SqlTx(h, SqlDialect.POSTGRES)));
    }

    @Override
    public void close() {}
}
