package dev.warden.e2e;

import dev.warden.server.testing.TestServer;
import dev.warden.storage.tests.PostgresCluster;
import dev.warden.storage.tests.S3Server;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * Runs the end-to-end suite on another storage driver: with {@code -Dwarden.e2e.storage=postgres}
 * every {@link TestServer} the tests start uses the postgres driver, on a database and a bucket of
 * its own in one PostgreSQL cluster and one S3-compatible server shared by the test JVM. Without
 * the property (or with {@code embedded}) nothing changes. Registered for every test class through
 * junit-platform.properties (extension autodetection).
 */
public final class StorageSwitch implements BeforeAllCallback {

    static final String PROPERTY = "warden.e2e.storage";
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        String driver = System.getProperty(PROPERTY, "embedded");
        switch (driver) {
            case "embedded" -> {}
            case "postgres" -> install();
            default ->
                    throw new IllegalArgumentException(
                            "-D"
                                    + PROPERTY
                                    + "="
                                    + driver
                                    + ": unknown storage driver; use embedded or postgres");
        }
    }

    private static synchronized void install() {
        if (!installed) {
            TestServer.storage(StorageSwitch::postgres);
            installed = true;
        }
    }

    /** The settings of one server: a new database and a new bucket. */
    static Map<String, String> postgres() {
        PostgresCluster pg = PostgresCluster.shared();
        S3Server s3 = S3Server.shared();
        return Map.ofEntries(
                Map.entry("storage.driver", "postgres"),
                Map.entry("storage.postgres_url", pg.jdbcUrl(pg.newDatabase())),
                Map.entry("storage.postgres_user", pg.user()),
                Map.entry("storage.postgres_password", pg.password()),
                Map.entry("storage.s3_endpoint", s3.endpoint().toString()),
                Map.entry("storage.s3_region", s3.region()),
                Map.entry("storage.s3_bucket", s3.newBucket()),
                Map.entry("storage.s3_access_key", s3.accessKey()),
                Map.entry("storage.s3_secret_key", s3.secretKey()));
    }
}
