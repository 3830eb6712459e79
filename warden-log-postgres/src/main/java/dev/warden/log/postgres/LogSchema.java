package dev.warden.log.postgres;

import dev.warden.storage.postgres.PostgresStorage;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.List;

/**
 * The logs' tables, migrated apart from the registry's ({@code classpath:db/postgres-log}, history
 * in {@code flyway_log_history}), so the log store's schema moves with the log's code alone.
 */
public final class LogSchema {

    private LogSchema() {}

    /** Brings the logs' schema up to this version; answers the versions applied (oldest first). */
    public static List<String> migrate(PostgresStorage.Settings settings) {
        MigrateResult r =
                Flyway.configure()
                        .dataSource(settings.url(), settings.user(), settings.password())
                        .locations("classpath:db/postgres-log")
                        .table("flyway_log_history")
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate();
        return r.migrations.stream().map(m -> m.version + " " + m.description).toList();
    }
}
