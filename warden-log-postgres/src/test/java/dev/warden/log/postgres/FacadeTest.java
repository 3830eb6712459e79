package dev.warden.log.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.log.TransparencyLog;
import dev.warden.storage.postgres.PostgresStorage;
import dev.warden.storage.tests.PostgresCluster;
import dev.warden.storage.tests.S3Server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/**
 * The log opened as the server opens it: through the storage driver's facade, its pool, and a lease
 * connection made with the pool's settings.
 */
class FacadeTest {

    private static PostgresStorage.Settings settings(String db) {
        PostgresCluster pg = PostgresCluster.shared();
        S3Server s3 = S3Server.shared();
        return new PostgresStorage.Settings(
                pg.jdbcUrl(db),
                pg.user(),
                pg.password(),
                4,
                true,
                s3.endpoint(),
                s3.region(),
                s3.newBucket(),
                s3.accessKey(),
                s3.secretKey(),
                true,
                "");
    }

    @Test
    void aLogOpenedThroughTheStorageFacadeTakesAppendsAndLeads() {
        String db = PostgresCluster.shared().newDatabase();
        PostgresStorage.Settings settings = settings(db);
        // In the server's order: the metadata schema (on open), then the logs'.
        try (PostgresStorage storage = PostgresStorage.open(settings)) {
            assertThat(LogSchema.migrate(settings)).containsExactly("log 1 log");
        }
        try (PostgresStorage storage = PostgresStorage.open(settings);
                TransparencyLog log =
                        new TransparencyLog(
                                PostgresLogStore.open(storage, "registry"),
                                Nodes.KEY,
                                TransparencyLog.Settings.of(Nodes.ORIGIN))) {
            assertThat(log.appendAndWait("first".getBytes(StandardCharsets.UTF_8))).isZero();
            assertThat(log.appendAndWait("second".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
            assertThat(log.sequencing()).isTrue();
            assertThat(log.snapshot().size()).isEqualTo(2);
        }
    }

    @Test
    void aLogWhoseSchemaIsNotMigratedIsRefused() {
        String db = PostgresCluster.shared().newDatabase();
        try (PostgresStorage storage = PostgresStorage.open(settings(db))) {
            assertThatThrownBy(() -> PostgresLogStore.open(storage, "registry"))
                    .hasMessageContaining("run warden migrate");
        }
    }
}
