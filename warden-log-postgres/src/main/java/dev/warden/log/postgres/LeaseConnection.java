package dev.warden.log.postgres;

import dev.warden.log.SharedLogStore;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A log's dedicated connection (not from the pool): it holds the sequencer's lease, a session
 * advisory lock that PostgreSQL frees when the session ends (a dead node's connection closes, and
 * another node takes the lock within its next retry), and it LISTENs on the log's channel. After a
 * failure it is opened again on next use; the lease it held is then lost.
 */
final class LeaseConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseConnection.class);

    private final PostgresLogStore.Connector connector;
    private final long lockKey;
    private final String channel;
    private Connection connection;
    private Lease lease;

    LeaseConnection(PostgresLogStore.Connector connector, long lockKey, String channel) {
        this.connector = connector;
        this.lockKey = lockKey;
        this.channel = channel;
    }

    /** The lease held through {@link #connection}, while that connection lives. */
    private final class Lease implements SharedLogStore.Lease {
        private final Connection held;

        Lease(Connection held) {
            this.held = held;
        }

        @Override
        public boolean held() {
            synchronized (LeaseConnection.this) {
                if (lease != this || connection != held) {
                    return false;
                }
                try {
                    if (held.isValid(5)) {
                        return true;
                    }
                } catch (SQLException e) {
                    LOG.debug("checking the lease connection", e);
                }
                drop();
                return false;
            }
        }

        @Override
        public void close() {
            synchronized (LeaseConnection.this) {
                if (lease != this) {
                    return;
                }
                lease = null;
                try (PreparedStatement s = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    s.setLong(1, lockKey);
                    s.execute();
                } catch (SQLException e) {
                    drop();
                }
            }
        }
    }

    synchronized Optional<SharedLogStore.Lease> tryLead() {
        if (lease != null) {
            return Optional.of(lease);
        }
        try {
            Connection c = open();
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, lockKey);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        lease = new Lease(c);
                        return Optional.of(lease);
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("trying the log's lease: {}", e.getMessage());
            drop();
        }
        return Optional.empty();
    }

    /** Whether {@code l} is the lease this connection holds now (no round trip). */
    synchronized boolean holds(SharedLogStore.Lease l) {
        return l != null && l == lease;
    }

    /** Waits up to {@code timeout} for a notification on the log's channel. */
    void await(Duration timeout) throws InterruptedException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        synchronized (this) {
            try {
                open().unwrap(PGConnection.class).getNotifications(millis);
                return;
            } catch (SQLException e) {
                LOG.warn("waiting for log changes: {}", e.getMessage());
                drop();
            }
        }
        // Not connected: wait out the timeout instead of spinning.
        Thread.sleep(millis);
    }

    private Connection open() throws SQLException {
        if (connection == null) {
            Connection c = connector.connect();
            try {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    // A machine that vanishes closes no socket: keepalives let the server notice
                    // within about 11 s and free the lease (ignored over a Unix socket).
                    s.execute("SET tcp_keepalives_idle = 5");
                    s.execute("SET tcp_keepalives_interval = 2");
                    s.execute("SET tcp_keepalives_count = 3");
                    s.execute("LISTEN \"" + channel + "\"");
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /** Forgets a broken connection (and with it the lease). */
    private void drop() {
        lease = null;
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a broken connection", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        drop();
    }
}
