package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code [storage]}: the driver, and what the postgres driver cannot start without. */
class StorageConfigTest {

    private static Map<String, String> postgres() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("storage.driver", "postgres");
        m.put("storage.postgres_url", "jdbc:postgresql://db.invalid:5432/warden");
        m.put("storage.s3_endpoint", "http://198.51.100.7:9000");
        m.put("storage.s3_bucket", "warden");
        return m;
    }

    @Test
    void theDefaultsAreTheEmbeddedDriverAndThePostgresDefaults() {
        Config.Storage s = Config.load(null, Map.of(), Map.of()).storage();
        assertThat(s.driver()).isEqualTo("embedded");
        assertThat(s.postgresUrl()).isEmpty();
        assertThat(s.postgresUser()).isEqualTo("warden");
        assertThat(s.postgresPoolSize()).isEqualTo(10);
        assertThat(s.migrateOnStart()).isTrue();
        assertThat(s.s3Region()).isEqualTo("us-east-1");
        assertThat(s.s3PathStyle()).isTrue();
        assertThat(s.s3Prefix()).isEmpty();
    }

    @Test
    void theSecretsComeFromTheEnvironmentAndStayOutOfItsText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warden.toml");
        Files.writeString(
                file,
                """
                [storage]
                driver = "postgres"
                postgres_url = "jdbc:postgresql://db.invalid:5432/warden"
                s3_endpoint = "https://s3.invalid"
                s3_bucket = "registry"
                s3_access_key = "AKIDEXAMPLE"
                """);
        Config.Storage s =
                Config.load(
                                file,
                                Map.of(
                                        "WARDEN_STORAGE_POSTGRES_PASSWORD", "pg-pass-123",
                                        "WARDEN_STORAGE_S3_SECRET_KEY", "s3-secret-456"),
                                Map.of())
                        .storage();
        assertThat(s.postgresPassword()).isEqualTo("pg-pass-123");
        assertThat(s.s3SecretKey()).isEqualTo("s3-secret-456");
        assertThat(s.s3Bucket()).isEqualTo("registry");
        assertThat(s.toString())
                .contains("s3.invalid")
                .doesNotContain("pg-pass-123")
                .doesNotContain("s3-secret-456");
    }

    @Test
    void anUnknownDriverNamesTheChoices() {
        assertThatThrownBy(() -> Config.load(null, Map.of(), Map.of("storage.driver", "mysql")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "storage.driver from flag --set storage.driver must be one of"
                                + " \"embedded\", \"postgres\", not \"mysql\"");
    }

    @Test
    void thePostgresDriverWithoutItsDatabaseOrBucketNamesTheMissingKey() {
        for (String key : new String[] {"postgres_url", "s3_endpoint", "s3_bucket"}) {
            Map<String, String> m = postgres();
            m.remove("storage." + key);
            assertThatThrownBy(() -> Config.load(null, Map.of(), m))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(
                            "storage."
                                    + key
                                    + " is empty: storage.driver = \"postgres\" (from flag --set"
                                    + " storage.driver) needs it");
        }
        assertThat(Config.load(null, Map.of(), postgres()).storage().s3Bucket())
                .isEqualTo("warden");
    }

    @Test
    void aUrlOfTheWrongKindIsNamed() {
        Map<String, String> m = postgres();
        m.put("storage.postgres_url", "postgres://db.invalid/warden");
        assertThatThrownBy(() -> Config.load(null, Map.of(), m))
                .hasMessage(
                        "storage.postgres_url from flag --set storage.postgres_url must be a JDBC"
                                + " URL (jdbc:postgresql://host:5432/database), not"
                                + " \"postgres://db.invalid/warden\"");
        Map<String, String> e = postgres();
        e.put("storage.s3_endpoint", "s3.invalid:9000");
        assertThatThrownBy(() -> Config.load(null, Map.of(), e))
                .hasMessage(
                        "storage.s3_endpoint from flag --set storage.s3_endpoint must be an http or"
                                + " https URL, not \"s3.invalid:9000\"");
        Map<String, String> p = postgres();
        p.put("storage.postgres_pool_size", "0");
        assertThatThrownBy(() -> Config.load(null, Map.of(), p))
                .hasMessage(
                        "storage.postgres_pool_size from flag --set storage.postgres_pool_size must"
                                + " be between 1 and 1000, not 0");
    }
}
