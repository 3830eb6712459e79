package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.tests.PostgresCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** {@code warden migrate}: the configured driver's schemas, as an operator runs it. */
class MigrateCommandTest {

    /** The postgres driver on {@code url}; the object store is not needed to migrate. */
    private static Map<String, String> postgres(String url) {
        PostgresCluster pg = PostgresCluster.shared();
        return Map.of(
                "WARDEN_STORAGE_DRIVER",
                "postgres",
                "WARDEN_STORAGE_POSTGRES_URL",
                url,
                "WARDEN_STORAGE_POSTGRES_USER",
                pg.user(),
                "WARDEN_STORAGE_POSTGRES_PASSWORD",
                pg.password(),
                "WARDEN_STORAGE_S3_ENDPOINT",
                "http://198.51.100.1:9000",
                "WARDEN_STORAGE_S3_BUCKET",
                "unused");
    }

    @Test
    void theEmbeddedDriverHasNothingToMigrate(@TempDir Path cwd) throws Exception {
        MainTest.Exit exit = MainTest.warden(cwd, Map.of(), "migrate", "--data", "d");
        assertThat(exit.status()).as(exit.err()).isZero();
        assertThat(exit.out())
                .isEqualTo(
                        "nothing to migrate: the embedded driver migrates its databases when it"
                                + " opens them\n");
    }

    @Test
    void thePostgresSchemasAreAppliedOnceAndNamed(@TempDir Path cwd) throws Exception {
        PostgresCluster pg = PostgresCluster.shared();
        Map<String, String> env = postgres(pg.jdbcUrl(pg.newDatabase()));

        MainTest.Exit first = MainTest.warden(cwd, env, "migrate", "--data", "d");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("applied metadata 3 shared files\n");

        MainTest.Exit again = MainTest.warden(cwd, env, "migrate", "--data", "d");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out())
                .contains("schemas up to date: nothing applied\n")
                .doesNotContain("applied metadata");
    }

    @Test
    void aDatabaseThatCannotBeReachedIsOneLineAndStatus1(@TempDir Path cwd) throws Exception {
        // port 1 on loopback: nothing listens there
        MainTest.Exit exit =
                MainTest.warden(
                        cwd,
                        postgres("jdbc:postgresql://127.0.0.1:1/warden?connectTimeout=2"),
                        "migrate",
                        "--data",
                        "d");
        assertThat(exit.status()).isEqualTo(1);
        assertThat(exit.err()).startsWith("warden: migrate failed: ").doesNotContain("\tat ");
        assertThat(exit.err().lines()).hasSize(1);
    }
}
