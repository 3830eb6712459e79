package dev.warden.log.sqlite;

import dev.warden.log.KeyFiles;
import dev.warden.log.NoteKey;
import dev.warden.log.TransparencyLog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark driver for bench/log.sh (not a test):
 *
 * <pre>
 * LogBench appends  DIR SECONDS IN_FLIGHT ENTRY_BYTES   sustained appends to a fresh embedded log
 * LogBench populate DIR KEY_FILE ORIGIN ENTRIES          fills DIR/log.db for the HTTP read benchmark
 * </pre>
 *
 * Prints one line {@code BENCH_LOG {json}}. An append counts when its future completes: the entry
 * is then durably integrated and covered by a signed checkpoint, so the latency reported is the
 * integration latency.
 */
public final class LogBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "appends" ->
                    appends(
                            Path.of(args[1]),
                            Integer.parseInt(args[2]),
                            Integer.parseInt(args[3]),
                            Integer.parseInt(args[4]));
            case "populate" ->
                    populate(Path.of(args[1]), Path.of(args[2]), args[3], Long.parseLong(args[4]));
            case "proofs" -> proofs(Path.of(args[1]), Path.of(args[2]), args[3]);
            default -> throw new IllegalArgumentException("appends | populate");
        }
        System.exit(0);
    }

    static byte[] entry(long i, int size, Random random) {
        byte[] e = new byte[size];
        random.nextBytes(e);
        for (int k = 0; k < 8; k++) {
            e[k] = (byte) (i >>> (8 * k));
        }
        return e;
    }

    static void appends(Path dir, int seconds, int inFlight, int entryBytes) throws Exception {
        Files.createDirectories(dir);
        NoteKey.Signer key = NoteKey.generate("bench.example/log", NoteKey.ED25519);
        try (TransparencyLog log =
                new TransparencyLog(
                        SqliteLogStore.open(dir.resolve("log.db")),
                        key,
                        TransparencyLog.Settings.of("bench.example/log"))) {
            // Idle latency: one append at a time.
            Random random = new Random(1);
            long[] idle = new long[200];
            for (int i = 0; i < idle.length; i++) {
                long t0 = System.nanoTime();
                log.appendAndWait(entry(i, entryBytes, random));
                idle[i] = System.nanoTime() - t0;
            }
            Arrays.sort(idle);
            // Sustained: IN_FLIGHT appends outstanding at all times, for 5 s of warm-up then
            // SECONDS.
            Semaphore window = new Semaphore(inFlight);
            AtomicLong counter = new AtomicLong(1_000_000);
            AtomicLong done = new AtomicLong();
            long[] lat = new long[1 << 22];
            AtomicLong latN = new AtomicLong();
            long warmEnd = System.nanoTime() + 5_000_000_000L;
            long end = warmEnd + seconds * 1_000_000_000L;
            long startSize = 0;
            boolean measuring = false;
            long measureStart = 0;
            Random r2 = new Random(2);
            byte[] pool = new byte[entryBytes * 1024];
            r2.nextBytes(pool);
            while (true) {
                long now = System.nanoTime();
                if (!measuring && now >= warmEnd) {
                    measuring = true;
                    measureStart = now;
                    startSize = log.snapshot().size();
                    done.set(0);
                    latN.set(0);
                }
                if (now >= end) {
                    break;
                }
                window.acquire();
                long i = counter.incrementAndGet();
                byte[] e =
                        Arrays.copyOfRange(
                                pool,
                                (int) (i % 1023) * entryBytes,
                                (int) (i % 1023) * entryBytes + entryBytes);
                for (int k = 0; k < 8; k++) {
                    e[k] = (byte) (i >>> (8 * k));
                }
                long t0 = System.nanoTime();
                CompletableFuture<Long> f = log.append(e);
                f.whenComplete(
                        (idx, err) -> {
                            window.release();
                            done.incrementAndGet();
                            long n = latN.getAndIncrement();
                            if (n < lat.length) {
                                lat[(int) n] = System.nanoTime() - t0;
                            }
                        });
            }
            window.acquire(inFlight);
            long elapsed = System.nanoTime() - measureStart;
            long appended = log.snapshot().size() - startSize;
            int n = (int) Math.min(latN.get(), lat.length);
            long[] l = Arrays.copyOf(lat, n);
            Arrays.sort(l);
            long dbBytes =
                    Files.size(dir.resolve("log.db"))
                            + (Files.exists(dir.resolve("log.db-wal"))
                                    ? Files.size(dir.resolve("log.db-wal"))
                                    : 0);
            System.out.printf(
                    "BENCH_LOG"
                        + " {\"mode\":\"appends\",\"seconds\":%.2f,\"appended\":%d,\"per_second\":%.0f,\"in_flight\":%d,"
                        + "\"entry_bytes\":%d,\"integrate_p50_ms\":%.2f,\"integrate_p99_ms\":%.2f,\"integrate_max_ms\":%.2f,"
                        + "\"idle_p50_ms\":%.2f,\"idle_p99_ms\":%.2f,\"size\":%d,\"db_bytes\":%d}%n",
                    elapsed / 1e9,
                    appended,
                    appended / (elapsed / 1e9),
                    inFlight,
                    entryBytes,
                    pct(l, 50),
                    pct(l, 99),
                    pct(l, 100),
                    pct(idle, 50),
                    pct(idle, 99),
                    log.snapshot().size(),
                    dbBytes);
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** In-process proof cost, without HTTP: microseconds per inclusion and consistency proof. */
    static void proofs(Path dir, Path keyFile, String origin) throws Exception {
        NoteKey.Signer key = KeyFiles.loadOrCreate(keyFile, origin, NoteKey.ED25519);
        try (TransparencyLog log =
                new TransparencyLog(
                        SqliteLogStore.open(dir.resolve("log.db")),
                        key,
                        new TransparencyLog.Settings(origin, 4096, 65_536, 256L << 20, null))) {
            long size = log.snapshot().size();
            Random random = new Random(5);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                int n = 200_000;
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += log.inclusionProof(Math.floorMod(random.nextLong(), size), size).size();
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink +=
                            log.consistencyProof(
                                            1 + Math.floorMod(random.nextLong(), size - 1), size)
                                    .size();
                }
                long t2 = System.nanoTime();
                System.out.printf(
                        "BENCH_LOG"
                            + " {\"mode\":\"proofs\",\"inclusion_us\":%.2f,\"consistency_us\":%.2f,\"sink\":%d}%n",
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, sink);
            }
        }
    }

    static void populate(Path dir, Path keyFile, String origin, long entries) throws Exception {
        Files.createDirectories(dir);
        NoteKey.Signer key = KeyFiles.loadOrCreate(keyFile, origin, NoteKey.ED25519);
        long t0 = System.nanoTime();
        try (TransparencyLog log =
                new TransparencyLog(
                        SqliteLogStore.open(dir.resolve("log.db")),
                        key,
                        TransparencyLog.Settings.of(origin))) {
            Random random = new Random(3);
            List<CompletableFuture<Long>> window = new ArrayList<>();
            for (long i = log.snapshot().size(); i < entries; i++) {
                window.add(log.append(entry(i, 400, random)));
                if (window.size() == 8192) {
                    window.forEach(CompletableFuture::join);
                    window.clear();
                }
            }
            window.forEach(CompletableFuture::join);
            System.out.printf(
                    "BENCH_LOG {\"mode\":\"populate\",\"size\":%d,\"seconds\":%.1f}%n",
                    log.snapshot().size(), (System.nanoTime() - t0) / 1e9);
        }
    }
}
