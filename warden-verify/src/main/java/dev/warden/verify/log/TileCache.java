package dev.warden.verify.log;

import dev.warden.log.TilePath;
import dev.warden.verify.Remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The tiles and entry bundles of one log for one run: each fetched at most once, and kept on disk
 * under the cache directory since a tile path (full, or partial of a given width) always names the
 * same bytes. What a run fetched is written only by {@link #persist}, once every proof built from
 * it checked out, so a tampered tile is never kept. Offline, only the disk is read. Failures are
 * {@link UncheckedIOException}s naming the URL, since they surface through {@code
 * Proofs.NodeReader}.
 */
final class TileCache {

    private final URI base;
    private final Remote remote;
    private final Path dir;
    private final boolean offline;
    private final Map<TilePath, byte[]> fetched = new HashMap<>();
    private final Map<TilePath, byte[]> fresh = new HashMap<>();

    TileCache(URI base, Remote remote, Path dir, boolean offline) {
        this.base = base;
        this.remote = remote;
        this.dir = dir;
        this.offline = offline;
    }

    byte[] get(TilePath path) {
        byte[] b = fetched.get(path);
        if (b == null) {
            b = load(path);
            fetched.put(path, b);
        }
        return b;
    }

    private byte[] load(TilePath path) {
        Path file = dir.resolve(path.path());
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            // not cached yet
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the log cache " + file + ": " + e.getMessage(), e);
        }
        URI uri = base.resolve(path.path());
        if (offline) {
            throw new UncheckedIOException(
                    new IOException("offline, and " + uri + " is not in the cache"));
        }
        long limit = path.entries() ? (long) path.width() * (2 + 65_535) : path.width() * 32L;
        Remote.Response r;
        try {
            r = remote.get(uri, null, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    new IOException("GET " + uri + " failed: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("GET " + uri + " was interrupted"));
        }
        if (r.status() != 200) {
            throw new UncheckedIOException(
                    new IOException("GET " + uri + " answered " + r.status() + ", expected 200"));
        }
        fresh.put(path, r.body());
        return r.body();
    }

    /** Keeps on disk what this run fetched. */
    void persist() {
        fresh.forEach((path, bytes) -> write(dir.resolve(path.path()), bytes));
        fresh.clear();
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp", null);
            Files.write(tmp, bytes);
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the log cache " + file + ": " + e.getMessage(), e);
        }
    }
}
