package dev.warden.log.postgres;

import com.zaxxer.hikari.HikariDataSource;

import dev.warden.log.LogStore;
import dev.warden.log.SharedLogStore;
import dev.warden.storage.postgres.PostgresStorage;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * A transparency log's store shared by several nodes: entries, tiles, the head (size and
 * checkpoint) and the append queue in PostgreSQL, each row keyed by the log's name. One sequencer
 * at a time holds the lease ({@link LeaseConnection}: an advisory lock on a dedicated connection);
 * its integrate is also a compare-and-set on the head's size under {@code SELECT ... FOR UPDATE},
 * so even two nodes that both believed they led could not give one index twice. Every commit that
 * changes the log or its queue notifies {@code warden_log_<name>}, which wakes the sequencer and
 * the followers. The module's README follows one entry through it.
 */
public final class PostgresLogStore implements SharedLogStore {

    /** Opens a connection that is not from the pool (the lease and LISTEN need their own). */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final String LOCATION = "classpath:db/postgres-log";
    private static final String HISTORY = "flyway_log_history";

    private final DataSource pool;
    private final String name;
    private final String channel;
    private final LeaseConnection leases;

    private PostgresLogStore(DataSource pool, Connector dedicated, String name) {
        this.pool = pool;
        this.name = name;
        this.channel = "warden_log_" + name;
        this.leases = new LeaseConnection(dedicated, lockKey(name), channel);
    }

    /** The store of log {@code name} ("registry", "ct", "rekor") in {@code storage}. */
    public static LogStore open(PostgresStorage storage, String name) {
        DataSource pool = storage.dataSource();
        return open(pool, dedicatedTo(pool), name);
    }

    /**
     * The store of log {@code name} over {@code pool}, with {@code dedicated} for its lease; the
     * log schema must be migrated ({@link #migrate}). Closing the store leaves the pool open.
     */
    public static PostgresLogStore open(DataSource pool, Connector dedicated, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a log's name is 1 to 40 lower-case letters, digits or _, starting with a"
                            + " letter, not \""
                            + name
                            + "\"");
        }
        var pending = flyway(pool).info().pending();
        if (pending.length > 0) {
            throw new IllegalStateException(
                    "the log schema in PostgreSQL is not up to date (version "
                            + pending[pending.length - 1].getVersion()
                            + " is missing): run warden migrate");
        }
        return new PostgresLogStore(pool, dedicated, name);
    }

    /**
     * Brings the log schema up to date (history table flyway_log_history); the versions applied.
     */
    public static List<String> migrate(DataSource pool) {
        MigrateResult result = flyway(pool).migrate();
        List<String> applied = new ArrayList<>();
        result.migrations.forEach(m -> applied.add("log " + m.version + " " + m.description));
        return applied;
    }

    private static Flyway flyway(DataSource pool) {
        // The metadata schema may already be in the same database: start from version 0 there.
        return Flyway.configure()
                .dataSource(pool)
                .locations(LOCATION)
                .table(HISTORY)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    /** A connector beside a Hikari pool, with the pool's own settings. */
    static Connector dedicatedTo(DataSource pool) {
        HikariDataSource hikari;
        try {
            hikari = pool.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "the log's lease needs a connection of its own, and the storage's pool is not"
                            + " a HikariCP pool",
                    e);
        }
        if (hikari.getDataSource() != null) {
            DataSource direct = hikari.getDataSource();
            return direct::getConnection;
        }
        String url = hikari.getJdbcUrl();
        java.util.Properties props = new java.util.Properties();
        props.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            props.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            props.setProperty("password", hikari.getPassword());
        }
        return () -> DriverManager.getConnection(url, props);
    }

    /** The advisory lock's key: the first 8 bytes of SHA-256 of the log's name. */
    static long lockKey(String name) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(("warden-log/" + name).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public String checkpoint() {
        return query(
                "reading the checkpoint",
                "SELECT note FROM tlog_heads WHERE log = ?",
                s -> {},
                r -> r.next() ? r.getString(1) : null);
    }

    @Override
    public byte[] tile(int level, long index) {
        return query(
                "reading a tile",
                "SELECT hashes FROM tlog_tiles WHERE log = ? AND level = ? AND idx = ?",
                s -> {
                    s.setInt(2, level);
                    s.setLong(3, index);
                },
                r -> r.next() ? r.getBytes(1) : null);
    }

    @Override
    public List<byte[]> entries(long from, long to) {
        List<byte[]> out =
                query(
                        "reading entries",
                        "SELECT data FROM tlog_entries WHERE log = ? AND idx >= ? AND idx < ?"
                                + " ORDER BY idx",
                        s -> {
                            s.setLong(2, from);
                            s.setLong(3, to);
                        },
                        r -> {
                            List<byte[]> l = new ArrayList<>((int) Math.max(0, to - from));
                            while (r.next()) {
                                l.add(r.getBytes(1));
                            }
                            return l;
                        });
        if (out.size() != to - from) {
            throw new IllegalStateException("entries " + from + " to " + to + " are missing");
        }
        return out;
    }

    @Override
    public OptionalLong indexOf(byte[] leafHash) {
        return query(
                "looking up an entry",
                "SELECT idx FROM tlog_entries WHERE log = ? AND leaf_hash = ?",
                s -> s.setBytes(2, leafHash),
                r -> r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty());
    }

    @Override
    public List<Queued> pending(int max) {
        return query(
                "reading the log's queue",
                // One unique-index probe per queued row: a join, planned on a young table's stale
                // statistics, can become a nested loop over every entry (seconds per batch).
                "SELECT q.data, q.leaf_hash, (SELECT e.idx FROM tlog_entries e WHERE e.log ="
                        + " q.log AND e.leaf_hash = q.leaf_hash) FROM (SELECT id, log, data,"
                        + " leaf_hash FROM tlog_queue WHERE log = ? ORDER BY id LIMIT ?) q"
                        + " ORDER BY q.id",
                s -> s.setInt(2, max),
                r -> {
                    List<Queued> l = new ArrayList<>();
                    while (r.next()) {
                        long idx = r.getLong(3);
                        boolean queuedOnly = r.wasNull();
                        l.add(new Queued(r.getBytes(1), r.getBytes(2), queuedOnly ? -1 : idx));
                    }
                    return l;
                });
    }

    // ---------------------------------------------------------------- writes

    @Override
    public long[] enqueue(List<byte[]> entries, List<byte[]> leafHashes) {
        return write(
                "queueing log entries",
                c -> {
                    Map<String, Long> known = new HashMap<>();
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "SELECT leaf_hash, idx FROM tlog_entries WHERE log = ? AND"
                                            + " leaf_hash = ANY (?)")) {
                        s.setString(1, name);
                        s.setArray(2, hashes(c, leafHashes));
                        try (ResultSet r = s.executeQuery()) {
                            while (r.next()) {
                                known.put(hex(r.getBytes(1)), r.getLong(2));
                            }
                        }
                    }
                    long[] out = new long[entries.size()];
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "INSERT INTO tlog_queue (log, leaf_hash, data) VALUES (?, ?,"
                                            + " ?) ON CONFLICT (log, leaf_hash) DO NOTHING")) {
                        boolean any = false;
                        for (int i = 0; i < entries.size(); i++) {
                            Long index = known.get(hex(leafHashes.get(i)));
                            out[i] = index == null ? -1 : index;
                            if (index == null) {
                                s.setString(1, name);
                                s.setBytes(2, leafHashes.get(i));
                                s.setBytes(3, entries.get(i));
                                s.addBatch();
                                any = true;
                            }
                        }
                        if (any) {
                            s.executeBatch();
                            notify(c, "queued");
                        }
                    }
                    return out;
                });
    }

    @Override
    public void integrate(
            long firstIndex,
            List<byte[]> entries,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> tiles,
            String checkpoint) {
        integrateAt(firstIndex, entries, leafHashes, tiles, checkpoint, List.of());
    }

    @Override
    public void integrate(
            Lease lease,
            long firstIndex,
            List<byte[]> entries,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> tiles,
            String checkpoint,
            List<byte[]> dequeued) {
        // A cheap check first; the compare-and-set below is what makes a stale writer harmless.
        if (!leases.holds(lease) || !lease.held()) {
            throw new LeaseLost("this node no longer holds the lease of log " + name);
        }
        integrateAt(firstIndex, entries, leafHashes, tiles, checkpoint, dequeued);
    }

    private void integrateAt(
            long firstIndex,
            List<byte[]> entries,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> tiles,
            String checkpoint,
            List<byte[]> dequeued) {
        write(
                "integrating log entries",
                c -> {
                    long stored = storedSizeForUpdate(c);
                    if (Math.max(0, stored) != firstIndex) {
                        throw new LeaseLost(
                                "log "
                                        + name
                                        + " has size "
                                        + Math.max(0, stored)
                                        + " in the database, not "
                                        + firstIndex
                                        + ": another node integrated meanwhile");
                    }
                    // No checkpoint: only queue rows of entries the log already holds go.
                    if (checkpoint != null) {
                        insertEntries(c, firstIndex, entries, leafHashes);
                        upsertTiles(c, tiles);
                        try (PreparedStatement s =
                                c.prepareStatement(
                                        "INSERT INTO tlog_heads (log, size, note) VALUES (?, ?, ?)"
                                                + " ON CONFLICT (log) DO UPDATE SET size ="
                                                + " excluded.size, note = excluded.note")) {
                            s.setString(1, name);
                            s.setLong(2, firstIndex + entries.size());
                            s.setString(3, checkpoint);
                            s.executeUpdate();
                        }
                        notify(c, Long.toString(firstIndex + entries.size()));
                    }
                    if (!dequeued.isEmpty()) {
                        try (PreparedStatement s =
                                c.prepareStatement(
                                        "DELETE FROM tlog_queue WHERE log = ? AND leaf_hash ="
                                                + " ANY (?)")) {
                            s.setString(1, name);
                            s.setArray(2, hashes(c, dequeued));
                            s.executeUpdate();
                        }
                    }
                    return null;
                });
    }

    /** The head's size, locked until commit; -1 for a log with no head yet. */
    private long storedSizeForUpdate(Connection c) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT size FROM tlog_heads WHERE log = ? FOR UPDATE")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    private void insertEntries(
            Connection c, long firstIndex, List<byte[]> entries, List<byte[]> leafHashes)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO tlog_entries (log, idx, leaf_hash, data) VALUES (?, ?, ?,"
                                + " ?)")) {
            for (int i = 0; i < entries.size(); i++) {
                s.setString(1, name);
                s.setLong(2, firstIndex + i);
                s.setBytes(3, leafHashes.get(i));
                s.setBytes(4, entries.get(i));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private void upsertTiles(Connection c, Map<TileKey, byte[]> tiles) throws SQLException {
        if (tiles.isEmpty()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO tlog_tiles (log, level, idx, hashes) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (log, level, idx) DO UPDATE SET hashes ="
                                + " excluded.hashes")) {
            for (Map.Entry<TileKey, byte[]> e : tiles.entrySet()) {
                s.setString(1, name);
                s.setInt(2, e.getKey().level());
                s.setLong(3, e.getKey().index());
                s.setBytes(4, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public boolean updateCheckpoint(long size, String checkpoint) {
        return write(
                "updating the checkpoint",
                c -> {
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "UPDATE tlog_heads SET note = ? WHERE log = ? AND size = ?")) {
                        s.setString(1, checkpoint);
                        s.setString(2, name);
                        s.setLong(3, size);
                        boolean done = s.executeUpdate() == 1;
                        if (done) {
                            notify(c, Long.toString(size));
                        }
                        return done;
                    }
                });
    }

    @Override
    public boolean replaceCheckpoint(String expected, String replacement) {
        return write(
                "updating the checkpoint",
                c -> {
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "UPDATE tlog_heads SET note = ? WHERE log = ? AND note = ?")) {
                        s.setString(1, replacement);
                        s.setString(2, name);
                        s.setString(3, expected);
                        boolean done = s.executeUpdate() == 1;
                        if (done) {
                            notify(c, "cosigned");
                        }
                        return done;
                    }
                });
    }

    // ---------------------------------------------------------------- lease and changes

    @Override
    public Optional<Lease> tryLead() {
        return leases.tryLead();
    }

    @Override
    public void awaitChange(Duration timeout) throws InterruptedException {
        leases.await(timeout);
    }

    @Override
    public void close() {
        leases.close();
    }

    // ---------------------------------------------------------------- plumbing

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(String what, String sql, Binder binder, Reader<T> reader) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            binder.bind(s);
            try (ResultSet r = s.executeQuery()) {
                return reader.read(r);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + " of log " + name + ": " + e.getMessage(), e);
        }
    }

    /** One transaction, committed when {@code work} returns, rolled back when it throws. */
    private <T> T write(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + " of log " + name + ": " + e.getMessage(), e);
        }
    }

    private void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, payload);
            s.execute();
        }
    }

    private static Array hashes(Connection c, List<byte[]> hashes) throws SQLException {
        return c.createArrayOf("bytea", hashes.toArray(new byte[0][]));
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
