package dev.warden.log.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.warden.log.NoteKey;
import dev.warden.log.TransparencyLog;
import dev.warden.storage.tests.PostgresCluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test nodes of one log on one database: each its own pool and lease connection (named after the
 * node, so a test can find and terminate it), as separate processes would have.
 */
final class Nodes {

    static final NoteKey.Signer KEY = NoteKey.generate("example.com/log", NoteKey.ED25519);
    static final String ORIGIN = "example.com/log";

    private Nodes() {}

    /** A migrated database of its own in the shared cluster. */
    static String database() {
        String db = PostgresCluster.shared().newDatabase();
        try (HikariDataSource pool = pool(db, "migrate")) {
            PostgresLogStore.migrate(pool);
        }
        return db;
    }

    static HikariDataSource pool(String db, String node) {
        PostgresCluster pg = PostgresCluster.shared();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl(db) + "?ApplicationName=" + node);
        config.setUsername(pg.user());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName(node);
        return new HikariDataSource(config);
    }

    /** One node: a pool, a lease connection that can be cut off, and the log over them. */
    static final class Node implements AutoCloseable {
        final String name;
        final HikariDataSource pool;
        final AtomicBoolean down = new AtomicBoolean();
        final TransparencyLog log;

        Node(String db, String name, String logName) {
            this.name = name;
            this.pool = pool(db, name);
            PostgresCluster pg = PostgresCluster.shared();
            String url = pg.jdbcUrl(db) + "?ApplicationName=" + name + "-lease";
            PostgresLogStore.Connector connector =
                    () -> {
                        if (down.get()) {
                            throw new SQLException("node " + name + " is down");
                        }
                        return DriverManager.getConnection(url, pg.user(), pg.password());
                    };
            this.log =
                    new TransparencyLog(
                            PostgresLogStore.open(pool, connector, logName),
                            KEY,
                            TransparencyLog.Settings.of(ORIGIN));
        }

        /**
         * As if the machine died: its lease connection is terminated by the server, it cannot
         * connect again, and its pool is gone.
         */
        void kill(String db) throws SQLException {
            down.set(true);
            PostgresCluster pg = PostgresCluster.shared();
            try (Connection c =
                            DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password());
                    Statement s = c.createStatement()) {
                s.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE"
                                + " application_name = '"
                                + name
                                + "-lease'");
            }
            pool.close();
        }

        @Override
        public void close() {
            log.close();
            pool.close();
        }
    }
}
