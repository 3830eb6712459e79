package dev.warden.log.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.warden.storage.postgres.PostgresStorage;

import java.util.List;

/**
 * {@code warden migrate}'s half for the logs: their schema brought up to date from the settings
 * alone, without opening the object store as {@link PostgresStorage#open} would.
 */
public final class LogSchema {

    private LogSchema() {}

    /** The versions applied ("log 1 log"), oldest first; none when up to date. */
    public static List<String> migrate(PostgresStorage.Settings settings) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(settings.url());
        c.setUsername(settings.user());
        c.setPassword(settings.password());
        // Flyway holds one connection for its lock while it migrates on another
        c.setMaximumPoolSize(3);
        c.setPoolName("warden-migrate-log");
        try (HikariDataSource pool = new HikariDataSource(c)) {
            return PostgresLogStore.migrate(pool);
        }
    }
}
