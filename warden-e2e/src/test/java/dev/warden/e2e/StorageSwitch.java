package dev.warden.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the end-to-end suite on another storage driver: {@code -Dwarden.e2e.storage=postgres} (or
 * warden-server's own {@code -Dwarden.test.storage=postgres}) makes every {@code TestServer} the
 * tests start use the postgres driver, each on a database and a bucket of its own in the PostgreSQL
 * cluster and S3-compatible server the test JVM shares. Without it, or with {@code embedded},
 * nothing changes; a misspelt driver fails every class with the reason instead of quietly testing
 * the embedded one. Registered for every test class through junit-platform.properties.
 */
public final class StorageSwitch implements BeforeAllCallback {

    static final String PROPERTY = "warden.e2e.storage";

    /** The property TestServer (warden-server's test jar) reads. */
    static final String SERVER_PROPERTY = "warden.test.storage";

    @Override
    public void beforeAll(ExtensionContext context) {
        String driver =
                System.getProperty(PROPERTY, System.getProperty(SERVER_PROPERTY, "embedded"));
        switch (driver) {
            case "embedded", "postgres" -> System.setProperty(SERVER_PROPERTY, driver);
            default ->
                    throw new IllegalArgumentException(
                            "-D"
                                    + PROPERTY
                                    + "="
                                    + driver
                                    + ": unknown storage driver; use embedded or postgres");
        }
    }
}
