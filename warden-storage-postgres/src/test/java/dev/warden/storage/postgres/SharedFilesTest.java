package dev.warden.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.tests.PostgresCluster;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;

/** Keys made by one node reach the others through the database, one node at a time. */
class SharedFilesTest {

    private PGSimpleDataSource db;

    @TempDir Path tmp;

    @BeforeEach
    void database() {
        PostgresCluster pg = PostgresCluster.shared();
        db = new PGSimpleDataSource();
        db.setUrl(pg.jdbcUrl(pg.newDatabase()));
        db.setUser(pg.user());
        db.setPassword(pg.password());
        Flyway.configure().dataSource(db).locations("classpath:db/postgres").load().migrate();
    }

    private SharedFiles.Session node(String name) {
        return SharedFiles.lock(
                db, tmp.resolve(name).resolve("keys"), tmp.resolve(name).resolve("keys.synced"), 5);
    }

    private void write(String node, String path, String text) throws Exception {
        Path file = tmp.resolve(node).resolve("keys").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String read(String node, String path) throws Exception {
        return Files.readString(tmp.resolve(node).resolve("keys").resolve(path));
    }

    @Test
    void keysMadeByTheFirstNodeAreWrittenForTheSecond() throws Exception {
        try (SharedFiles.Session a = node("a")) {
            assertThat(a.pull()).isEmpty();
            write("a", "log.key", "log key of a");
            write("a", "signing/1.pem", "signing key of a");
            write("a", "signing/1.pem.tmp", "a torn write");
            assertThat(a.push()).containsExactly("log.key", "signing/1.pem");
        }
        try (SharedFiles.Session b = node("b")) {
            assertThat(b.pull()).containsExactly("log.key", "signing/1.pem");
            assertThat(b.push()).isEmpty();
        }
        assertThat(read("b", "log.key")).isEqualTo("log key of a");
        assertThat(read("b", "signing/1.pem")).isEqualTo("signing key of a");
        assertThat(Files.exists(tmp.resolve("b/keys/signing/1.pem.tmp"))).isFalse();
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(tmp.resolve("b/keys/log.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aRotationReachesANodeHoldingTheOldCopy() throws Exception {
        try (SharedFiles.Session a = node("a")) {
            write("a", "signing/current", "1");
            a.push();
        }
        try (SharedFiles.Session b = node("b")) {
            b.pull();
            b.push();
        }
        try (SharedFiles.Session a = node("a")) {
            a.pull();
            write("a", "signing/current", "2");
            assertThat(a.push()).containsExactly("signing/current");
        }
        try (SharedFiles.Session b = node("b")) {
            assertThat(b.pull()).containsExactly("signing/current");
        }
        assertThat(read("b", "signing/current")).isEqualTo("2");
    }

    @Test
    void aKeyNotSyncedFromTheDatabaseIsNeverReplaced() throws Exception {
        try (SharedFiles.Session a = node("a")) {
            write("a", "log.key", "log key of a");
            a.push();
        }
        write("c", "log.key", "log key of another registry");
        try (SharedFiles.Session c = node("c")) {
            assertThatThrownBy(c::pull)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            tmp.resolve("c/keys/log.key")
                                    + " differs from the copy in the database and was not synced"
                                    + " from it: another registry's key? Move it away to take the"
                                    + " database's");
        }
        assertThat(read("c", "log.key")).isEqualTo("log key of another registry");
    }

    @Test
    void aSecondNodeWaitsForTheFirstAndGivesUpAfterItsWait() throws Exception {
        try (SharedFiles.Session a = node("a")) {
            assertThatThrownBy(
                            () ->
                                    SharedFiles.lock(
                                            db, tmp.resolve("b/keys"), tmp.resolve("b/s"), 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "another node has held the shared keys' lock for 1 s (a start or a key"
                                    + " rotation in progress)");
        }
        try (SharedFiles.Session b = node("b")) {
            assertThat(b.pull()).isEmpty();
        }
    }

    @Test
    void aStoredPathOutsideTheDirectoryIsRefused() throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO shared_files (path, bytes) VALUES ('../escaped',"
                                        + " ?)")) {
            s.setBytes(1, "x".getBytes(StandardCharsets.UTF_8));
            s.executeUpdate();
        }
        try (SharedFiles.Session a = node("a")) {
            assertThatThrownBy(a::pull)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("shared_files holds a path outside the keys directory: ../escaped");
        }
        assertThat(Files.exists(tmp.resolve("a/escaped"))).isFalse();
    }
}
