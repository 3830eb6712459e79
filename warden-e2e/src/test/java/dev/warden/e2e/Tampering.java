package dev.warden.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What an attacker with the registry's disk could change, done to a running Warden's data
 * directory; each returns an {@link Undo} that puts it back, so the tests can share one server.
 */
final class Tampering {

    /** Puts a tampering back. */
    interface Undo extends AutoCloseable {
        @Override
        void close() throws Exception;
    }

    private final Path data;

    Tampering(Path data) {
        this.data = data;
    }

    /**
     * Changes bytes of {@code name@version}'s tarball in the blob store, in place: the file keeps
     * its name (its sha512 when it was stored) and its length, so the server serves the changed
     * bytes as that version's tarball.
     */
    Undo changeTarball(String name, String version) throws Exception {
        Path blob = blobOf(name, version);
        byte[] original = Files.readAllBytes(blob);
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            // past the gzip header, so the change is in the compressed content
            long at = original.length / 2;
            f.seek(at);
            f.write(original[(int) at] ^ 0x20);
        }
        return () -> {
            try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
                f.write(original);
            }
        };
    }

    /** The blob store's file of a version's tarball. */
    Path blobOf(String name, String version) throws SQLException, IOException {
        String key;
        try (Connection db = open();
                PreparedStatement q =
                        db.prepareStatement(
                                "SELECT blob_key FROM versions WHERE name = ? AND version = ?")) {
            q.setString(1, name);
            q.setString(2, version);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no version " + name + "@" + version);
                }
                key = r.getString(1);
            }
        }
        // the store's layout, or the two-level one of stores made before it
        Path shard = data.resolve("blobs").resolve(key.substring(0, 2));
        for (Path blob :
                List.of(shard.resolve(key), shard.resolve(key.substring(2, 4)).resolve(key))) {
            if (Files.isRegularFile(blob)) {
                return blob;
            }
        }
        throw new IOException("no blob " + key + " under " + data.resolve("blobs"));
    }

    /**
     * Swaps the attestation rows (SLSA provenance and publish attestation) of two versions of a
     * package in the metadata database. The attestations endpoint reads them on each request and
     * both versions' packuments already name an attestations URL, so nothing is re-rendered.
     */
    Undo swapAttestations(String name, String a, String b) throws SQLException {
        swap(name, a, b);
        return () -> swap(name, a, b);
    }

    private void swap(String name, String a, String b) throws SQLException {
        try (Connection db = open()) {
            db.setAutoCommit(false);
            try (PreparedStatement u =
                    db.prepareStatement(
                            "UPDATE provenance SET version = ? WHERE package = ? AND version ="
                                    + " ?")) {
                for (String[] step :
                        new String[][] {{"\u0000swap", a}, {a, b}, {b, "\u0000swap"}}) {
                    u.setString(1, step[0]);
                    u.setString(2, name);
                    u.setString(3, step[1]);
                    if (u.executeUpdate() != 1) {
                        db.rollback();
                        throw new IllegalStateException(
                                "no provenance row for " + name + "@" + step[1]);
                    }
                }
            }
            db.commit();
        }
    }

    private Connection open() throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("warden.db"));
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return db;
    }
}
