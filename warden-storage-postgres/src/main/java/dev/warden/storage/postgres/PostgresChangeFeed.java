package dev.warden.storage.postgres;

import dev.warden.storage.ChangeFeed;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The changes every node commits, heard with LISTEN on one connection of its own (a pooled one
 * would be handed to others, and notifications reach only the session that listens).
 *
 * <p>Design: the SQL views {@code pg_notify} on {@value #CHANNEL} inside the writing transaction
 * ("topic key"), so PostgreSQL delivers a change at its commit and never one rolled back. This
 * node's own changes come back too: forgetting twice is harmless, and ignoring them would need to
 * tell them apart. When the connection is lost, changes may have been missed: after reconnecting,
 * the feed delivers {@link Change#EVERYTHING} first. A quiet connection is probed every {@link
 * #PROBE_MILLIS} so that a dead one is noticed.
 */
final class PostgresChangeFeed implements ChangeFeed, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);

    static final String CHANNEL = "warden_changes";
    static final String APPLICATION_NAME = "warden-changes";
    private static final int PROBE_MILLIS = 5_000;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final String url;
    private final Properties properties;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private PostgresChangeFeed(String url, String user, String password) {
        this.url = url;
        this.properties = new Properties();
        if (user != null) {
            properties.setProperty(PGProperty.USER.getName(), user);
        }
        if (password != null) {
            properties.setProperty(PGProperty.PASSWORD.getName(), password);
        }
        properties.setProperty(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
        properties.setProperty(PGProperty.APPLICATION_NAME.getName(), APPLICATION_NAME);
        properties.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), "10");
        this.thread = Thread.ofPlatform().daemon().name("warden-changes").unstarted(this::run);
    }

    /**
     * Starts listening, and returns once the first LISTEN is in place (or after a few seconds
     * without one: the feed keeps trying and announces {@link Change#EVERYTHING} when it gets
     * there), so that no change committed after the store opened goes unheard.
     */
    static PostgresChangeFeed start(String url, String user, String password) {
        PostgresChangeFeed feed = new PostgresChangeFeed(url, user, password);
        feed.thread.start();
        try {
            if (!feed.listening.await(10, TimeUnit.SECONDS)) {
                LOG.warn("the change feed is not listening yet; it keeps trying");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return feed;
    }

    @Override
    public void subscribe(Consumer<Change> listener) {
        listeners.add(listener);
    }

    private void run() {
        long backoff = 100;
        boolean missed = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, properties)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                if (missed) {
                    deliver(Change.EVERYTHING);
                }
                missed = true;
                backoff = 100;
                listening.countDown();
                listen(c);
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.warn("the change feed lost its connection: {}", e.getMessage());
            }
            missed = true;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
            PGNotification[] notes = pg.getNotifications(PROBE_MILLIS);
            if (notes == null || notes.length == 0) {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(PROBE_MILLIS / 1000);
                    s.execute("SELECT 1");
                }
                continue;
            }
            for (PGNotification n : notes) {
                deliver(parse(n.getParameter()));
            }
        }
    }

    /** "topic key" as the views write it; a payload without a key is the topic's empty key. */
    static Change parse(String payload) {
        int space = payload.indexOf(' ');
        return space < 0
                ? new Change(payload, "")
                : new Change(payload.substring(0, space), payload.substring(space + 1));
    }

    private void deliver(Change change) {
        for (Consumer<Change> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("a change listener failed on {}", change, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
