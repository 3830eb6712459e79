package dev.warden.cli;

import dev.warden.log.LogCopy;
import dev.warden.log.LogStore;
import dev.warden.log.postgres.PostgresLogStore;
import dev.warden.log.sqlite.SqliteLogStore;
import dev.warden.storage.BlobStore;
import dev.warden.storage.embedded.EmbeddedStorage;
import dev.warden.storage.postgres.PostgresStorage;
import dev.warden.storage.postgres.SharedFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code warden storage copy --from embedded --to postgres}: a registry's embedded data directory
 * into the postgres driver's database and bucket, then checked there.
 *
 * <p>In order: the target must hold no packages, users or logs (the table copy checks every table
 * again before it writes); every metadata table (one transaction per table, identities kept); every
 * blob; the three logs (entries, tiles, signed checkpoint, each in one integration); the keys under
 * {@code <data>/keys/} into the shared keys table. Then each blob is read back from the bucket and
 * its sha512 compared with its key, and each log's tiles are checked against its checkpoint's root.
 * The source is only read (its schema is first brought to this version, as a start would).
 */
final class StorageCopy {

    /** The logs and their embedded files, as the server opens them. */
    static final List<String> LOGS = List.of("registry", "ct", "rekor");

    private static final int PARALLEL = 8;
    private static final int KEY_LOCK_SECONDS = 300;

    private final Path data;
    private final PostgresStorage target;
    private final PrintStream out;

    StorageCopy(Path data, PostgresStorage target, PrintStream out) {
        this.data = data;
        this.target = target;
        this.out = out;
    }

    /** The source's database; fails when the data directory holds no registry. */
    static Path source(Path data) {
        Path db = data.resolve("warden.db");
        if (!Files.isRegularFile(db)) {
            throw new IllegalStateException("no embedded registry at " + db);
        }
        return db;
    }

    void run() throws Exception {
        Path db = source(data);
        boolean holds =
                target.metadata()
                        .read(tx -> tx.users().count() > 0 || !tx.packages().names(null).isEmpty());
        if (holds) {
            throw new IllegalStateException(
                    "the target already holds packages or users; warden storage copy fills an"
                            + " empty registry only");
        }
        for (String name : LOGS) {
            try (LogStore to = PostgresLogStore.open(target, name)) {
                if (to.checkpoint() != null) {
                    throw new IllegalStateException(
                            "the target already holds the " + name + " log");
                }
            }
        }
        // the source's schema at this version, so its tables match the target's
        EmbeddedStorage.metadata(db).close();

        Map<String, Long> tables;
        try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            source.setAutoCommit(false); // one read transaction: a consistent source
            tables = target.copyTablesFrom(source);
        }
        long rows = tables.values().stream().mapToLong(Long::longValue).sum();
        out.println("tables: " + tables.size() + " copied, " + rows + " rows");
        tables.forEach(
                (table, n) -> {
                    if (n > 0) {
                        out.println("  " + table + " " + n);
                    }
                });

        Path blobDir = data.resolve("blobs");
        BlobStore from = EmbeddedStorage.blobs(blobDir);
        AtomicLong bytes = new AtomicLong();
        long blobs =
                eachBlob(
                        blobDir,
                        key -> {
                            byte[] b;
                            try (InputStream in = from.get(key).orElseThrow().open()) {
                                b = in.readAllBytes();
                            }
                            target.blobs().put(key, b);
                            bytes.addAndGet(b.length);
                        });
        out.println("blobs: " + blobs + " copied, " + bytes.get() + " bytes");

        for (String name : LOGS) {
            // the embedded files, named as the server opens them
            Path file = data.resolve(name.equals("registry") ? "log.db" : name + ".db");
            if (!Files.isRegularFile(file)) {
                out.println("log " + name + ": none");
                continue;
            }
            try (LogStore source = SqliteLogStore.open(file);
                    LogStore to = PostgresLogStore.open(target, name)) {
                LogCopy.Counts c = LogCopy.copy(source, to);
                out.println(
                        "log "
                                + name
                                + ": "
                                + c.entries()
                                + " entries, "
                                + c.tiles()
                                + " tiles copied");
            }
        }

        List<String> keys;
        try (SharedFiles.Session s =
                SharedFiles.lock(
                        target.dataSource(),
                        data.resolve("keys"),
                        data.resolve("keys.synced"),
                        KEY_LOCK_SECONDS)) {
            s.pull();
            keys = s.push();
        }
        out.println("keys: " + keys.size() + " files shared");

        long verified =
                eachBlob(
                        blobDir,
                        key -> {
                            BlobStore.Blob b =
                                    target.blobs()
                                            .get(key)
                                            .orElseThrow(
                                                    () ->
                                                            new IllegalStateException(
                                                                    "blob "
                                                                            + key
                                                                            + " is missing in the"
                                                                            + " target"));
                            String hash = sha512(b);
                            if (!hash.equals(key)) {
                                throw new IllegalStateException(
                                        "blob " + key + " reads back with sha512 " + hash);
                            }
                        });
        out.println("verified: " + verified + " blobs (sha512)");
        for (String name : LOGS) {
            try (LogStore to = PostgresLogStore.open(target, name)) {
                LogCopy.Counts c = LogCopy.verify(to);
                out.println(
                        "verified: log "
                                + name
                                + " ("
                                + c.entries()
                                + " entries, "
                                + c.tiles()
                                + " tiles against its checkpoint)");
            }
        }
    }

    /** A blob's work, which may fail. */
    @FunctionalInterface
    interface BlobWork {
        void on(String key) throws Exception;
    }

    /**
     * Runs {@code work} on every blob of the directory, a few at once; the first failure ends it.
     */
    private static long eachBlob(Path dir, BlobWork work) throws Exception {
        Semaphore slots = new Semaphore(PARALLEL);
        AtomicReference<Exception> failed = new AtomicReference<>();
        AtomicLong done = new AtomicLong();
        try (Stream<String> keys = EmbeddedStorage.blobKeys(dir);
                var pool =
                        java.util.concurrent.Executors.newThreadPerTaskExecutor(
                                Thread.ofVirtual().name("copy-", 0).factory())) {
            Consumer<String> submit =
                    key -> {
                        slots.acquireUninterruptibly();
                        pool.execute(
                                () -> {
                                    try {
                                        if (failed.get() == null) {
                                            work.on(key);
                                            done.incrementAndGet();
                                        }
                                    } catch (Exception e) {
                                        failed.compareAndSet(null, e);
                                    } finally {
                                        slots.release();
                                    }
                                });
                    };
            keys.takeWhile(k -> failed.get() == null).forEach(submit);
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return done.get();
    }

    private static String sha512(BlobStore.Blob blob) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-512");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = blob.open()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
