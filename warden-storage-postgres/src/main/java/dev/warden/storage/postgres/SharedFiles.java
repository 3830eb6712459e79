package dev.warden.storage.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * A directory whose files every node must hold the same copy of (the keys under {@code
 * <data>/keys/}), kept in the table {@code shared_files}.
 *
 * <p>Design: a node takes a session-level advisory lock on a connection of its own for as long as
 * it may create files there (its whole start, or a key rotation), {@link Session#pull pulls} what
 * the database has, lets the code that makes missing keys run, then {@link Session#push pushes}
 * what is new or changed. Two nodes starting at once are thus one after the other: the second finds
 * the first one's keys and makes none. A file on disk that differs from the database's copy is
 * overwritten only when it is the copy last pulled or pushed here (the node missed a rotation);
 * otherwise it was made elsewhere (another registry's keys copied in) and the start is refused
 * rather than a key silently replaced. The database holds private keys: protect it as the keys.
 */
public final class SharedFiles {

    /** The advisory lock's key: "WARDKEYS". */
    private static final long LOCK = 0x5741_5244_4b45_5953L;

    private SharedFiles() {}

    /**
     * Waits (at most {@code waitSeconds}) for the lock and holds it until the session is closed.
     *
     * @param dir the directory shared (created if missing)
     * @param manifest where this node remembers the digests it last synced (outside {@code dir})
     */
    public static Session lock(DataSource db, Path dir, Path manifest, int waitSeconds) {
        try {
            // a connection of its own, not the pool's: the start that holds the lock needs the
            // pool, and closing this one really ends the session (and with it the lock)
            Connection c = ownConnection(db);
            try {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("SET statement_timeout = " + Math.max(1, waitSeconds) * 1000L);
                    s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
                    s.execute("SET statement_timeout = 0");
                }
                return new Session(c, dir, manifest);
            } catch (SQLException e) {
                c.close();
                if ("57014".equals(e.getSQLState())) {
                    throw new IllegalStateException(
                            "another node has held the shared keys' lock for "
                                    + waitSeconds
                                    + " s (a start or a key rotation in progress)",
                            e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot take the shared keys' lock: " + e.getMessage(), e);
        }
    }

    /** The lock held, and what this node knows of the files. */
    public static final class Session implements AutoCloseable {

        private final Connection connection;
        private final Path dir;
        private final Path manifest;

        private Session(Connection connection, Path dir, Path manifest) {
            this.connection = connection;
            this.dir = dir;
            this.manifest = manifest;
        }

        /**
         * Writes the database's files into the directory; answers the paths written.
         *
         * @throws IllegalStateException when a file here differs from the database's and was not
         *     synced from it
         */
        public List<String> pull() {
            Map<String, byte[]> stored = stored();
            Map<String, String> synced = readManifest();
            List<String> written = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : stored.entrySet()) {
                Path file = resolve(e.getKey());
                byte[] local = readIfExists(file);
                if (local != null && MessageDigest.isEqual(local, e.getValue())) {
                    continue;
                }
                if (local != null && !sha256(local).equals(synced.get(e.getKey()))) {
                    throw new IllegalStateException(
                            file
                                    + " differs from the copy in the database and was not synced"
                                    + " from it: another registry's key? Move it away to take the"
                                    + " database's");
                }
                write(file, e.getValue());
                written.add(e.getKey());
                synced.put(e.getKey(), sha256(e.getValue()));
            }
            if (!written.isEmpty()) {
                // what came from the database is synced, even if this start fails before a push
                writeManifest(new TreeMap<>(synced));
            }
            return written;
        }

        /**
         * Stores the directory's files that the database lacks or holds another copy of (made or
         * changed since {@link #pull}); answers their paths.
         */
        public List<String> push() {
            Map<String, byte[]> stored = stored();
            Map<String, byte[]> local = local();
            List<String> pushed = new ArrayList<>();
            try (PreparedStatement up =
                    connection.prepareStatement(
                            "INSERT INTO shared_files (path, bytes) VALUES (?, ?) ON CONFLICT"
                                    + " (path) DO UPDATE SET bytes = excluded.bytes")) {
                for (Map.Entry<String, byte[]> e : local.entrySet()) {
                    byte[] there = stored.get(e.getKey());
                    if (there == null || !MessageDigest.isEqual(there, e.getValue())) {
                        up.setString(1, e.getKey());
                        up.setBytes(2, e.getValue());
                        up.executeUpdate();
                        pushed.add(e.getKey());
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "cannot store the shared keys: " + e.getMessage(), e);
            }
            Map<String, String> digests = new TreeMap<>();
            local.forEach((path, bytes) -> digests.put(path, sha256(bytes)));
            writeManifest(digests);
            return pushed;
        }

        /** Releases the lock and ends the session (which frees the lock in any case). */
        @Override
        public void close() {
            try (connection;
                    Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            } catch (SQLException e) {
                // the connection's end frees the lock anyway
            }
        }

        private Map<String, byte[]> stored() {
            Map<String, byte[]> files = new TreeMap<>();
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT path, bytes FROM shared_files")) {
                while (r.next()) {
                    files.put(r.getString(1), r.getBytes(2));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "cannot read the shared keys: " + e.getMessage(), e);
            }
            return files;
        }

        /** Regular files under the directory, by '/'-separated relative path; no temporaries. */
        private Map<String, byte[]> local() {
            Map<String, byte[]> files = new TreeMap<>();
            if (!Files.isDirectory(dir)) {
                return files;
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".tmp")) {
                        String rel = dir.relativize(p).toString().replace('\\', '/');
                        files.put(rel, Files.readAllBytes(p));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return files;
        }

        /** A stored path names a file inside the directory, never outside it. */
        private Path resolve(String path) {
            Path file = dir.resolve(path).normalize();
            if (path.isEmpty() || path.startsWith("/") || !file.startsWith(dir.normalize())) {
                throw new IllegalStateException(
                        "shared_files holds a path outside the keys directory: " + path);
            }
            return file;
        }

        private Map<String, String> readManifest() {
            Map<String, String> m = new LinkedHashMap<>();
            byte[] bytes = readIfExists(manifest);
            if (bytes != null) {
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                    int sp = line.indexOf(' ');
                    if (sp > 0) {
                        m.put(line.substring(sp + 1), line.substring(0, sp));
                    }
                }
            }
            return m;
        }

        private void writeManifest(Map<String, String> digests) {
            StringBuilder b = new StringBuilder();
            digests.forEach(
                    (path, digest) -> b.append(digest).append(' ').append(path).append('\n'));
            write(manifest, b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A new connection with the pool's settings, or one from a data source that is no pool. */
    private static Connection ownConnection(DataSource db) throws SQLException {
        if (db instanceof com.zaxxer.hikari.HikariDataSource pool) {
            java.util.Properties props = new java.util.Properties();
            props.putAll(pool.getDataSourceProperties());
            if (pool.getUsername() != null) {
                props.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                props.setProperty("password", pool.getPassword());
            }
            props.setProperty("ApplicationName", "warden-keys");
            return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), props);
        }
        return db.getConnection();
    }

    private static byte[] readIfExists(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Written beside, forced, renamed over: a crash leaves the old or the new copy, owner-only. */
    private static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(
                        tmp,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.write(tmp, bytes);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
