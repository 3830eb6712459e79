package dev.warden.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The network through the cache directory. Documents that may change (packuments, key lists) are
 * revalidated with their ETag when online; documents that never change for their URL (attestations
 * of a published version, full log tiles) are fetched once; facts computed from large downloads (a
 * tarball's digests) are kept instead of the download. Offline, only the cache answers. Every file
 * is written to a temporary name and moved into place, so a run killed midway leaves no torn entry.
 * At most {@code concurrency} requests are in flight at once.
 */
final class FetchCache {

    private final Remote remote;
    private final Path dir;
    private final boolean offline;
    private final Semaphore inFlight;

    FetchCache(Remote remote, Path dir, boolean offline, int concurrency) {
        this.remote = remote;
        this.dir = dir;
        this.offline = offline;
        this.inFlight = new Semaphore(concurrency);
    }

    boolean offline() {
        return offline;
    }

    Path dir() {
        return dir;
    }

    Remote remote() {
        return remote;
    }

    /** A document that may change: revalidated when online, from the cache when offline. */
    byte[] revalidated(URI uri, long limit) throws FetchException {
        Path body = file("http", uri.toString(), ".body");
        Path etag = file("http", uri.toString(), ".etag");
        if (offline) {
            return cached(body, uri);
        }
        String known = Files.exists(body) ? readString(etag).orElse(null) : null;
        Remote.Response r = get(uri, known, limit);
        if (r.status() == 304 && known != null) {
            return cached(body, uri);
        }
        byte[] bytes = ok(uri, r);
        write(body, bytes);
        if (r.etag().isPresent()) {
            write(etag, r.etag().get().getBytes(StandardCharsets.UTF_8));
        } else {
            delete(etag);
        }
        return bytes;
    }

    /**
     * A document that never changes for its URL: fetched once, and kept only when {@code valid}
     * accepts it (so an error page answered with 200 is not kept for good).
     */
    byte[] immutable(URI uri, long limit, java.util.function.Predicate<byte[]> valid)
            throws FetchException {
        Path body = file("http", uri.toString(), ".body");
        if (Files.exists(body)) {
            return cached(body, uri);
        }
        if (offline) {
            throw notCached(uri);
        }
        byte[] bytes = ok(uri, get(uri, null, limit));
        if (valid.test(bytes)) {
            write(body, bytes);
        }
        return bytes;
    }

    /** Bytes fetched now and not kept (a tarball, whose digests are kept instead). */
    byte[] uncached(URI uri, long limit) throws FetchException {
        if (offline) {
            throw notCached(uri);
        }
        return ok(uri, get(uri, null, limit));
    }

    /** A fact kept under a key (e.g. a tarball's digests under its URL and integrity). */
    Optional<String> fact(String kind, String key) {
        return readString(file("facts/" + kind, key, ""));
    }

    void putFact(String kind, String key, String value) {
        write(file("facts/" + kind, key, ""), value.getBytes(StandardCharsets.UTF_8));
    }

    private Remote.Response get(URI uri, String etag, long limit) throws FetchException {
        try {
            inFlight.acquire();
            try {
                return remote.get(uri, etag, limit);
            } finally {
                inFlight.release();
            }
        } catch (IOException e) {
            throw new FetchException(uri + ": " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(uri + ": interrupted", 0);
        }
    }

    private static byte[] ok(URI uri, Remote.Response r) throws FetchException {
        if (r.status() != 200) {
            throw new FetchException(uri + " answered HTTP " + r.status(), r.status());
        }
        return r.body();
    }

    private byte[] cached(Path body, URI uri) throws FetchException {
        try {
            return Files.readAllBytes(body);
        } catch (java.nio.file.NoSuchFileException e) {
            throw notCached(uri);
        } catch (IOException e) {
            throw new FetchException("cannot read the cache entry of " + uri + ": " + e, 0);
        }
    }

    private static FetchException notCached(URI uri) {
        return new FetchException("offline, and the cache does not hold " + uri, 0);
    }

    private Path file(String kind, String key, String suffix) {
        return dir.resolve(kind).resolve(sha256(key) + suffix);
    }

    private static Optional<String> readString(Path p) {
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void write(Path p, byte[] bytes) {
        try {
            Files.createDirectories(p.getParent());
            Path tmp = Files.createTempFile(p.getParent(), ".tmp-", "");
            Files.write(tmp, bytes);
            try {
                Files.move(
                        tmp,
                        p,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the cache entry " + p, e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting the cache entry " + p, e);
        }
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
