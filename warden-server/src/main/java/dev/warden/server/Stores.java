package dev.warden.server;

import dev.warden.log.LogStore;
import dev.warden.log.postgres.LogSchema;
import dev.warden.log.postgres.PostgresLogStore;
import dev.warden.log.sqlite.SqliteLogStore;
import dev.warden.signing.SigningStack;
import dev.warden.storage.BlobStore;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;
import dev.warden.storage.postgres.PostgresStorage;
import dev.warden.storage.postgres.SharedFiles;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place a storage driver is chosen ({@code storage.driver}) and opened. The server and the
 * admin commands ({@code warden user-add}, ...) both get the storage contracts from here, so a
 * driver is a case here and nothing else changes. The transparency logs' stores (the registry's
 * log, and the signing stack's CT and Rekor logs) are opened here too.
 *
 * <p>"embedded": SQLite files and a blob directory under {@code storage.data}. "postgres": one
 * {@link PostgresStorage} per process (its pool, metadata and blobs), the three logs in its
 * database, and the keys under {@code <data>/keys/} shared through it ({@link #shareKeys}).
 */
public final class Stores implements AutoCloseable {

    /** How long a node waits for another node's start (or key rotation) to end. */
    private static final int KEY_LOCK_SECONDS = 300;

    private final Path data;
    private final PostgresStorage postgres;
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private LogStore log;

    private Stores(Path data, PostgresStorage postgres, MetadataStore metadata, BlobStore blobs) {
        this.data = data;
        this.postgres = postgres;
        this.metadata = metadata;
        this.blobs = blobs;
    }

    /** Opens the configured driver's metadata and blob stores (the logs' when asked). */
    public static Stores open(Config config) throws IOException {
        Path data = data(config);
        return switch (config.storage().driver().toLowerCase(java.util.Locale.ROOT)) {
            case "embedded" -> {
                MetadataStore metadata = EmbeddedStorage.metadata(data.resolve("warden.db"));
                yield new Stores(
                        data, null, metadata, EmbeddedStorage.blobs(data.resolve("blobs")));
            }
            case "postgres" -> {
                PostgresStorage.Settings settings = postgresSettings(config.storage());
                PostgresStorage pg = PostgresStorage.open(settings);
                try {
                    if (settings.migrate()) {
                        // the logs' schema too (the log stores refuse an old one)
                        PostgresLogStore.migrate(pg.dataSource());
                    }
                    yield new Stores(data, pg, pg.metadata(), pg.blobs());
                } catch (RuntimeException e) {
                    pg.close();
                    throw e;
                }
            }
            default -> throw unknownDriver(config);
        };
    }

    /** The data directory, absolute, created if missing. */
    public static Path data(Config config) throws IOException {
        Path data = Path.of(config.storage().data()).toAbsolutePath();
        Files.createDirectories(data);
        return data;
    }

    /** The postgres driver's settings from {@code [storage]}. */
    public static PostgresStorage.Settings postgresSettings(Config.Storage s) {
        return new PostgresStorage.Settings(
                s.postgresUrl(),
                s.postgresUser(),
                s.postgresPassword(),
                s.postgresPoolSize(),
                s.migrateOnStart(),
                URI.create(s.s3Endpoint()),
                s.s3Region(),
                s.s3Bucket(),
                s.s3AccessKey(),
                s.s3SecretKey(),
                s.s3PathStyle(),
                s.s3Prefix());
    }

    /**
     * {@code warden migrate} of the postgres driver: brings the metadata schema, then the logs', up
     * to this version; answers what was applied ("metadata 3 shared files", "log 1 ...").
     */
    public static List<String> migrate(Config config) {
        PostgresStorage.Settings settings = postgresSettings(config.storage());
        List<String> applied = new java.util.ArrayList<>();
        PostgresStorage.migrate(settings).forEach(v -> applied.add("metadata " + v));
        applied.addAll(LogSchema.migrate(settings));
        return applied;
    }

    /** Whether nodes share these stores (the postgres driver): what is per node must not be. */
    public boolean shared() {
        return postgres != null;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** The registry's transparency log's store (the log closes it). */
    LogStore log() {
        log =
                postgres == null
                        ? SqliteLogStore.open(data.resolve("log.db"))
                        : PostgresLogStore.open(postgres, "registry");
        return log;
    }

    /** The signing stack's certificate transparency and Rekor logs (the stack closes them). */
    SigningStack.LogStores signingLogs() {
        return postgres == null
                ? new SigningStack.LogStores(
                        SqliteLogStore.open(data.resolve("ct.db")),
                        SqliteLogStore.open(data.resolve("rekor.db")))
                : new SigningStack.LogStores(
                        PostgresLogStore.open(postgres, "ct"),
                        PostgresLogStore.open(postgres, "rekor"));
    }

    /**
     * With the postgres driver, the keys under {@code <data>/keys/} are the database's: this takes
     * the shared keys' lock, writes the database's keys here, and on {@link KeyShare#push} stores
     * the keys made meanwhile; hold it while keys may be made (the whole start). With the embedded
     * driver the keys are this node's alone and this does nothing.
     */
    public KeyShare shareKeys() {
        if (postgres == null) {
            return KeyShare.NONE;
        }
        SharedFiles.Session s =
                SharedFiles.lock(
                        postgres.dataSource(),
                        data.resolve("keys"),
                        data.resolve("keys.synced"),
                        KEY_LOCK_SECONDS);
        try {
            s.pull();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return new KeyShare() {
            @Override
            public List<String> push() {
                return s.push();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** The shared keys' lock, held until closed. */
    public interface KeyShare extends AutoCloseable {
        KeyShare NONE =
                new KeyShare() {
                    @Override
                    public List<String> push() {
                        return List.of();
                    }

                    @Override
                    public void close() {}
                };

        /** Stores the keys made or changed since the lock was taken; answers their paths. */
        List<String> push();

        @Override
        void close();
    }

    /**
     * Each store ("metadata", "blobs", "log") to "ok" or a one-line reason, each read through its
     * contract, so both drivers are checked the same way.
     */
    Map<String, String> health() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("metadata", check(() -> metadata.read(tx -> tx.users().count())));
        out.put(
                "blobs",
                check(
                        () -> {
                            try {
                                return blobs.get("0".repeat(128));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }));
        LogStore l = log;
        if (l != null) {
            out.put("log", check(l::checkpoint));
        }
        return out;
    }

    /** A probe that has not answered by then is a failing store, not a hung health check. */
    private static final int HEALTH_SECONDS = 5;

    private static String check(Supplier<?> probe) {
        java.util.concurrent.CompletableFuture<?> answer =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        probe::get, r -> Thread.ofVirtual().name("health").start(r));
        try {
            answer.get(HEALTH_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            return "ok";
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            return "no answer within " + HEALTH_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.util.concurrent.ExecutionException ee) {
            Throwable e = ee.getCause();
            Throwable t =
                    e instanceof java.io.UncheckedIOException && e.getCause() != null
                            ? e.getCause()
                            : e;
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            m = m.lines().findFirst().orElse("").strip();
            return m.length() > 200 ? m.substring(0, 200) + "..." : m;
        }
    }

    /**
     * Where the signing stack's CA keeps its intermediate keys ({@code signing.ca_key_store}), as
     * the server opens it.
     */
    public static dev.warden.signing.CaKeyStore caKeys(Config config) {
        return WardenServer.caKeyStore(
                config.signing(), Path.of(config.storage().data()).toAbsolutePath());
    }

    /** Closes the metadata store (postgres: the whole driver, its pool and object store client). */
    @Override
    public void close() {
        if (postgres != null) {
            postgres.close();
        } else {
            metadata.close();
        }
    }

    private static IllegalArgumentException unknownDriver(Config config) {
        return new IllegalArgumentException(
                "unknown storage driver \""
                        + config.storage().driver()
                        + "\"; available: embedded, postgres");
    }
}
