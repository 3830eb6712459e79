package dev.warden.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.sql.SqlDialect;
import dev.warden.storage.sql.SqlTx;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.function.Function;

/**
 * Metadata in PostgreSQL, shared by every node.
 *
 * <p>Design: the domain reads, then writes, and relies on writers being serialized (as SQLite's
 * single writer makes them). Each write transaction therefore first takes one transaction-scoped
 * advisory lock, {@link #WRITE_LOCK}, under READ COMMITTED: a writer on any node waits for the one
 * before it, and its statements after the lock see everything committed before. Reads run in a
 * REPEATABLE READ, READ ONLY transaction: one snapshot, never waiting for writers. A {@link #write}
 * waits for the commit to be flushed ({@code synchronous_commit = on}, whatever the server's
 * default); a {@link #writeDerived} does not ({@code off}: its loss on a crash of the database is
 * rebuilt from what is durable). The views announce changes with {@code pg_notify}; {@link
 * #changes} listens on its own connection.
 */
final class PostgresMetadataStore implements MetadataStore {

    /** The advisory lock key of metadata writers ("warden-w" in ASCII). */
    static final long WRITE_LOCK = 0x77617264656e2d77L;

    private final HikariDataSource pool;
    private final boolean ownsPool;
    private final Jdbi jdbi;
    private final PostgresChangeFeed feed;

    private PostgresMetadataStore(
            HikariDataSource pool, boolean ownsPool, PostgresChangeFeed feed) {
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.jdbi = Jdbi.create(pool);
        this.feed = feed;
    }

    /** The node's connection pool to the database {@code settings} name. */
    static HikariDataSource pool(PostgresStorage.Settings settings) {
        if (settings.url() == null || !settings.url().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "storage.postgres_url must be a jdbc:postgresql: URL, not " + settings.url());
        }
        if (settings.poolSize() < 1) {
            throw new IllegalArgumentException(
                    "storage.postgres_pool_size must be at least 1, not " + settings.poolSize());
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setPoolName("postgres");
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // a dead peer (a failed-over database, a dropped NAT entry) is noticed, not waited on
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "warden");
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new IllegalStateException(
                    "cannot connect to PostgreSQL at "
                            // a password may be given as a parameter of the URL
                            + settings.url().replaceFirst("\\?.*", "?...")
                            + ": "
                            + rootMessage(e),
                    e);
        }
    }

    /**
     * Opens the metadata store over {@code pool}, which stays the caller's: migrates the schema
     * when {@code settings.migrate()}, else refuses a schema older than this code.
     */
    static PostgresMetadataStore open(HikariDataSource pool, PostgresStorage.Settings settings) {
        return open(pool, false, settings);
    }

    /** Opens a store with a pool of its own, closed with it (tests, tools). */
    static PostgresMetadataStore open(PostgresStorage.Settings settings) {
        HikariDataSource pool = pool(settings);
        try {
            return open(pool, true, settings);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static PostgresMetadataStore open(
            HikariDataSource pool, boolean ownsPool, PostgresStorage.Settings settings) {
        Flyway flyway = flyway(pool);
        if (settings.migrate()) {
            flyway.migrate();
        } else {
            MigrationInfo[] pending = flyway.info().pending();
            if (pending.length > 0) {
                MigrationInfo current = flyway.info().current();
                throw new IllegalStateException(
                        "the PostgreSQL schema is at version "
                                + (current == null ? "0 (empty)" : current.getVersion())
                                + " and this Warden needs "
                                + pending[pending.length - 1].getVersion()
                                + ": run `warden migrate` (or set storage.migrate_on_start ="
                                + " true)");
            }
        }
        PostgresChangeFeed feed =
                PostgresChangeFeed.start(settings.url(), settings.user(), settings.password());
        return new PostgresMetadataStore(pool, ownsPool, feed);
    }

    /** Brings the schema up to this version; answers the versions applied. */
    static List<String> migrate(HikariDataSource pool) {
        MigrateResult result = flyway(pool).migrate();
        return result.migrations.stream().map(m -> m.version + " " + m.description).toList();
    }

    private static Flyway flyway(HikariDataSource pool) {
        // the logs' schema may be in the same database first: start from version 0 beside it
        return Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/postgres")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    /** What kind of transaction a thread has open. */
    private enum Open {
        READ,
        WRITE
    }

    /**
     * The transaction this thread has open on this store, if any: JDBI hands a nested call the
     * thread's handle, which is already inside it.
     */
    private final ThreadLocal<Open> openOnThread = new ThreadLocal<>();

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        return inWriteTransaction("on", work);
    }

    @Override
    public <T> T writeDerived(Function<WriteTx, T> work) {
        return inWriteTransaction("off", work);
    }

    private <T> T inWriteTransaction(String synchronousCommit, Function<WriteTx, T> work) {
        Open outer = openOnThread.get();
        if (outer != null) {
            if (outer == Open.READ) {
                // a snapshot cannot become a writer: its reads were taken before the writers' lock
                throw new IllegalStateException("a write inside a read transaction");
            }
            // the domain nests a unit of work in the write it is part of: it joins that write
            return jdbi.withHandle(h -> work.apply(tx(h)));
        }
        openOnThread.set(Open.WRITE);
        try {
            return writeTransaction(synchronousCommit, work);
        } finally {
            openOnThread.remove();
        }
    }

    private <T> T writeTransaction(String synchronousCommit, Function<WriteTx, T> work) {
        return jdbi.inTransaction(
                h -> {
                    // one round trip: this transaction's durability, then the writers' lock
                    h.createQuery(
                                    "SELECT set_config('synchronous_commit', ?, true),"
                                            + " pg_advisory_xact_lock(?)")
                            .bind(0, synchronousCommit)
                            .bind(1, WRITE_LOCK)
                            .mapTo(String.class)
                            .one();
                    return work.apply(tx(h));
                });
    }

    @Override
    public <T> T read(Function<ReadTx, T> work) {
        if (openOnThread.get() != null) {
            // a read inside a transaction of this thread sees that transaction (as on SQLite): the
            // thread's handle is already in it, and its isolation can no longer be set
            return jdbi.withHandle(h -> work.apply(tx(h)));
        }
        openOnThread.set(Open.READ);
        try {
            return jdbi.inTransaction(
                    h -> {
                        h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                        return work.apply(tx(h));
                    });
        } finally {
            openOnThread.remove();
        }
    }

    @Override
    public ChangeFeed changes() {
        return feed;
    }

    private static SqlTx tx(Handle h) {
        return new SqlTx(h, SqlDialect.POSTGRES);
    }

    @Override
    public void close() {
        feed.close();
        if (ownsPool) {
            pool.close();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
