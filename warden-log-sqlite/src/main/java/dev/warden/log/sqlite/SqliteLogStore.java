package dev.warden.log.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.warden.log.LogStore;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The embedded log store: one SQLite database in WAL mode with {@code synchronous=FULL}, so an
 * integrated batch is on disk when {@link #integrate} returns. The sequencer holds one connection
 * for writing; readers share a small pool and see the last committed batch. The module's README
 * follows one entry through it.
 */
public final class SqliteLogStore implements LogStore {

    private final HikariDataSource readers;
    private final Connection writer;

    private SqliteLogStore(HikariDataSource readers, Connection writer) {
        this.readers = readers;
        this.writer = writer;
    }

    /** Opens (creating and migrating if needed) the log database at {@code file}. */
    public static LogStore open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("tlog");
        hikari.setMaximumPoolSize(6);
        hikari.setMinimumIdle(1);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/tlog").load().migrate();
            Connection w = sqlite.getConnection();
            w.setAutoCommit(false);
            return new SqliteLogStore(pool, w);
        } catch (RuntimeException | SQLException e) {
            pool.close();
            throw e instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("opening log store " + file, e);
        }
    }

    @Override
    public String checkpoint() {
        try (Connection c = readers.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT note FROM checkpoint WHERE id = 1");
                ResultSet r = s.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("reading checkpoint", e);
        }
    }

    @Override
    public synchronized void integrate(
            long firstIndex,
            List<byte[]> entries,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> tiles,
            String checkpoint) {
        try {
            try (PreparedStatement ins =
                    writer.prepareStatement(
                            "INSERT INTO entries (idx, leaf_hash, data) VALUES (?, ?, ?)")) {
                for (int i = 0; i < entries.size(); i++) {
                    ins.setLong(1, firstIndex + i);
                    ins.setBytes(2, leafHashes.get(i));
                    ins.setBytes(3, entries.get(i));
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            try (PreparedStatement t =
                    writer.prepareStatement(
                            "INSERT OR REPLACE INTO tiles (level, idx, hashes) VALUES (?, ?, ?)")) {
                for (Map.Entry<TileKey, byte[]> e : tiles.entrySet()) {
                    t.setInt(1, e.getKey().level());
                    t.setLong(2, e.getKey().index());
                    t.setBytes(3, e.getValue());
                    t.addBatch();
                }
                t.executeBatch();
            }
            try (PreparedStatement c =
                    writer.prepareStatement(
                            "INSERT OR REPLACE INTO checkpoint (id, size, note) VALUES (1, ?,"
                                    + " ?)")) {
                c.setLong(1, firstIndex + entries.size());
                c.setString(2, checkpoint);
                c.executeUpdate();
            }
            writer.commit();
        } catch (SQLException e) {
            try {
                writer.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("integrating log entries", e);
        }
    }

    @Override
    public synchronized boolean updateCheckpoint(long size, String checkpoint) {
        try (PreparedStatement c =
                writer.prepareStatement(
                        "UPDATE checkpoint SET note = ? WHERE id = 1 AND size = ?")) {
            c.setString(1, checkpoint);
            c.setLong(2, size);
            int n = c.executeUpdate();
            writer.commit();
            return n == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("updating checkpoint", e);
        }
    }

    @Override
    public byte[] tile(int level, long index) {
        try (Connection c = readers.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT hashes FROM tiles WHERE level = ? AND idx = ?")) {
            s.setInt(1, level);
            s.setLong(2, index);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading tile", e);
        }
    }

    @Override
    public List<byte[]> entries(long from, long to) {
        List<byte[]> out = new ArrayList<>((int) Math.max(0, to - from));
        try (Connection c = readers.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT data FROM entries WHERE idx >= ? AND idx < ? ORDER BY"
                                        + " idx")) {
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getBytes(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading entries", e);
        }
        if (out.size() != to - from) {
            throw new IllegalStateException("entries " + from + " to " + to + " are missing");
        }
        return out;
    }

    @Override
    public OptionalLong indexOf(byte[] leafHash) {
        try (Connection c = readers.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT idx FROM entries WHERE leaf_hash = ?")) {
            s.setBytes(1, leafHash);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up entry", e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        readers.close();
    }
}
