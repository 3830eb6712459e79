package dev.warden.storage.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.sql.SqlDialect;
import dev.warden.storage.sql.SqlTx;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Metadata in one SQLite database file.
 *
 * <p>Design: WAL journal with {@code synchronous=FULL}, so a committed transaction is on disk
 * before {@link #write} returns and survives kill -9 or power loss. Writers are serialized by a
 * lock in this process (SQLite allows one writer at a time anyway; queuing here avoids busy
 * retries), while readers use pooled connections and see the last committed snapshot.
 */
final class SqliteMetadataStore implements MetadataStore {

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private SqliteMetadataStore(HikariDataSource pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
    }

    /** Opens (creating and migrating if needed) the database at {@code file}. */
    static SqliteMetadataStore open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("sqlite");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/sqlite").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new SqliteMetadataStore(pool);
    }

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        writeLock.lock();
        try {
            return jdbi.inTransaction(handle -> work.apply(new SqlTx(handle, SqlDialect.SQLITE)));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * WAL with {@code synchronous=NORMAL} for this transaction: durable against kill -9, not
     * against power loss.
     */
    @Override
    public <T> T writeDerived(Function<WriteTx, T> work) {
        writeLock.lock();
        try {
            return jdbi.withHandle(
                    handle -> {
                        handle.execute("PRAGMA synchronous = NORMAL");
                        try {
                            return handle.inTransaction(
                                    h -> work.apply(new SqlTx(h, SqlDialect.SQLITE)));
                        } finally {
                            handle.execute("PRAGMA synchronous = FULL");
                        }
                    });
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T read(Function<ReadTx, T> work) {
        return jdbi.withHandle(handle -> work.apply(new SqlTx(handle, SqlDialect.SQLITE)));
    }

    @Override
    public void close() {
        pool.close();
    }
}
