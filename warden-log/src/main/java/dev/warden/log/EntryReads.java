package dev.warden.log;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Reads of entries: by range or by leaf hash, and as entry bundles (kept in a bounded cache, and
 * full ones written once as files to be sent from the page cache).
 */
final class EntryReads {

    private final LogStore store;
    private final Cache<Long, byte[]> bundles;
    private final java.nio.file.Path bundleDir;
    private final Supplier<TransparencyLog.Snapshot> snapshots;

    /**
     * @param snapshots the snapshot now published, read where a read needs the log's current size
     */
    EntryReads(
            LogStore store,
            long cacheBytes,
            java.nio.file.Path bundleDir,
            Supplier<TransparencyLog.Snapshot> snapshots) {
        this.store = store;
        this.bundleDir = bundleDir;
        this.snapshots = snapshots;
        this.bundles =
                Caffeine.newBuilder()
                        .maximumWeight(cacheBytes)
                        .weigher((Long k, byte[] b) -> b.length + 48)
                        .build();
    }

    /** Entry bundle {@code path} of snapshot {@code s}, or null when it does not exist (yet). */
    byte[] bundle(TransparencyLog.Snapshot s, TilePath path, boolean mayBlock) {
        if (path.index() > TilePath.shift(s.size, TilePath.HEIGHT)) {
            return null;
        }
        long from = path.index() * TilePath.WIDTH;
        long to = from + path.width();
        if (to > s.size || (!path.partial() && to > s.size)) {
            return null;
        }
        if (path.partial() && TilePath.shift(s.size, TilePath.HEIGHT) > path.index()) {
            // The bundle is full now; a partial read is a prefix of it.
            byte[] full =
                    bundle(
                            s,
                            new TilePath(TilePath.ENTRIES, path.index(), TilePath.WIDTH),
                            mayBlock);
            return prefix(full, path.width());
        }
        long key = path.index() * (TilePath.WIDTH + 1) + path.width();
        byte[] b = bundles.getIfPresent(key);
        if (b != null) {
            return b;
        }
        if (!mayBlock) {
            throw new WouldBlock();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : store.entries(from, to)) {
            out.write(e.length >>> 8);
            out.write(e.length & 0xff);
            out.writeBytes(e);
        }
        b = out.toByteArray();
        bundles.put(key, b);
        return b;
    }

    /**
     * The file holding full entry bundle {@code index}, written from the store on first use; null
     * when that bundle is not full yet or bundle files are off. May block.
     */
    java.nio.file.Path fullBundleFile(long index) {
        java.nio.file.Path dir = bundleDir;
        if (dir == null
                || index < 0
                || index >= TilePath.shift(snapshots.get().size, TilePath.HEIGHT)) {
            return null;
        }
        java.nio.file.Path file =
                dir.resolve(new TilePath(TilePath.ENTRIES, index, TilePath.WIDTH).path());
        if (java.nio.file.Files.exists(file)) {
            return file;
        }
        byte[] bytes =
                bundle(
                        snapshots.get(),
                        new TilePath(TilePath.ENTRIES, index, TilePath.WIDTH),
                        true);
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Path tmp =
                    java.nio.file.Files.createTempFile(file.getParent(), ".bundle", ".tmp");
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(
                            tmp, java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            java.nio.file.Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing entry bundle " + index, e);
        }
        return file;
    }

    private static byte[] prefix(byte[] bundle, int count) {
        int pos = 0;
        for (int i = 0; i < count; i++) {
            int len = ((bundle[pos] & 0xff) << 8) | (bundle[pos + 1] & 0xff);
            pos += 2 + len;
        }
        return java.util.Arrays.copyOf(bundle, pos);
    }

    /** The entries {@code [from, to)}. */
    List<byte[]> entries(long from, long to) {
        if (from < 0 || to > snapshots.get().size || from > to) {
            throw new IllegalArgumentException(
                    "entries " + from + " to " + to + " are not in the log");
        }
        return store.entries(from, to);
    }

    /** The index of an entry by its RFC 9162 leaf hash, if it is in the log. */
    OptionalLong indexOf(byte[] leafHash) {
        OptionalLong i = store.indexOf(leafHash);
        return i.isPresent() && i.getAsLong() < snapshots.get().size ? i : OptionalLong.empty();
    }
}
