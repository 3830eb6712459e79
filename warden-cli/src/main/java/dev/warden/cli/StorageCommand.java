package dev.warden.cli;

import dev.warden.server.Config;
import dev.warden.server.Stores;
import dev.warden.storage.postgres.PostgresStorage;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code warden storage ...}: operations on the stores themselves. */
@Command(
        name = "storage",
        mixinStandardHelpOptions = true,
        description = "Operations on the registry's stores.",
        subcommands = {StorageCommand.Copy.class})
final class StorageCommand {

    @Command(
            name = "copy",
            mixinStandardHelpOptions = true,
            description =
                    "Copy the registry of the configured data directory (embedded driver) into the"
                        + " configured PostgreSQL database and S3 bucket (postgres driver), which"
                        + " must be empty, then check every blob and log there. Stop the server"
                        + " first.")
    static final class Copy implements Callable<Integer> {
        @CommandLine.Mixin Main.ConfigOptions options = new Main.ConfigOptions();

        @Option(names = "--from", required = true, description = "The source driver: embedded.")
        String from;

        @Option(names = "--to", required = true, description = "The target driver: postgres.")
        String to;

        @Override
        public Integer call() {
            if (!"embedded".equals(from) || !"postgres".equals(to)) {
                System.err.println(
                        "warden: storage copy copies --from embedded --to postgres only");
                return 2;
            }
            Config config = options.load();
            Config.Storage s = config.storage();
            if (blank(s.postgresUrl()) || blank(s.s3Endpoint()) || blank(s.s3Bucket())) {
                System.err.println(
                        "warden: storage copy needs the target's storage.postgres_url,"
                                + " storage.s3_endpoint and storage.s3_bucket");
                return 2;
            }
            try {
                StorageCopy.source(Stores.data(config)); // before the target is touched
                PostgresStorage.Settings settings = Stores.postgresSettings(s);
                try (PostgresStorage target = PostgresStorage.open(settings)) {
                    // after the metadata schema, as a node's start does
                    if (settings.migrate()) {
                        dev.warden.log.postgres.LogSchema.migrate(settings);
                    }
                    new StorageCopy(Stores.data(config), target, System.out).run();
                }
            } catch (Exception e) {
                System.err.println("warden: storage copy failed: " + oneLine(e));
                return 1;
            }
            return 0;
        }

        private static boolean blank(String v) {
            return v == null || v.isBlank();
        }

        private static String oneLine(Throwable e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return m.lines().findFirst().orElse("").strip();
        }
    }

    private StorageCommand() {}
}
