package dev.warden.log;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only transparency log: RFC 9162 Merkle tree, C2SP checkpoints signed with an Ed25519
 * note key, tlog-tiles reads and proofs.
 *
 * <p>Design: one sequencer thread takes appends from a queue in batches (everything that arrived
 * while the previous batch was being written), gives each new entry the next index, extends the
 * tree's tiles and signs a new checkpoint, and writes all of it in one durable store transaction.
 * Only then are the appends acknowledged and the new {@link Snapshot} published to readers, so an
 * acknowledged entry is already integrated, every checkpoint ever served is on disk, and a crash at
 * any point leaves the last committed batch, which the next start carries on from. An entry whose
 * bytes are already in the log is not added again: its existing index is returned.
 */
public final class TransparencyLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransparencyLog.class);

    /** Largest entry: entry bundles carry a 16-bit length. */
    public static final int MAX_ENTRY = 65_535;

    /**
     * @param bundleDir where full entry bundles are written as files once first read (they never
     *     change), to be sent from the page cache; null to build them from the store each time
     */
    public record Settings(
            String origin,
            int maxBatch,
            int queueCapacity,
            long cacheBytes,
            java.nio.file.Path bundleDir) {
        public Settings {
            if (origin == null || origin.isBlank() || origin.contains("\n")) {
                throw new IllegalArgumentException("a log needs a one-line origin");
            }
        }

        public static Settings of(String origin) {
            return new Settings(origin, 4096, 65_536, 64L << 20, null);
        }
    }

    /** What readers see: the log at its last integrated size. */
    public static final class Snapshot {
        private final long size;
        private final Checkpoint head;
        private final String note;
        private final byte[][] edge;
        private final Tile[] edgeTiles;

        /** MTH of the right-edge ranges [start, size), which most proofs against this size need. */
        private final java.util.concurrent.ConcurrentHashMap<Long, byte[]> edgeRanges =
                new java.util.concurrent.ConcurrentHashMap<>();

        Snapshot(long size, Checkpoint head, String note, byte[][] edge) {
            this.size = size;
            this.head = head;
            this.note = note;
            this.edge = edge;
            this.edgeTiles = new Tile[edge.length];
        }

        public long size() {
            return size;
        }

        public byte[] root() {
            return head.root();
        }

        public Checkpoint head() {
            return head;
        }

        /** The signed checkpoint note, with the cosignatures collected so far. */
        public String checkpoint() {
            return note;
        }

        Tile edgeTile(int level) {
            Tile t = edgeTiles[level];
            if (t == null) {
                t = new Tile(edge[level]);
                edgeTiles[level] = t;
            }
            return t;
        }

        Snapshot withNote(String newNote) {
            return new Snapshot(size, head, newNote, edge);
        }
    }

    /** Raised by a non-blocking read that would have to wait for storage. */
    private static final class WouldBlock extends RuntimeException {
        WouldBlock() {
            super(null, null, false, false);
        }
    }

    private record Pending(byte[] entry, byte[] leafHash, CompletableFuture<Long> done) {}

    private final LogStore store;
    private final NoteKey.Signer signer;
    private final Settings settings;
    private final BlockingQueue<Pending> queue;
    private final Cache<LogStore.TileKey, Tile> tiles;
    private final Cache<Long, byte[]> bundles;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Thread sequencer;
    private volatile boolean running = true;
    private volatile Snapshot snapshot;
    private volatile Runnable onCheckpoint;

    // Sequencer state, guarded by writeLock.
    private CompactRange range;
    private final byte[][] edge = new byte[TilePath.MAX_LEVEL + 2][];

    public TransparencyLog(LogStore store, NoteKey.Signer signer, Settings settings) {
        this.store = store;
        this.signer = signer;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        // Most of the memory goes to tiles: every proof reads one per level. Full bundles can be
        // files.
        this.tiles =
                Caffeine.newBuilder()
                        .maximumWeight(settings.cacheBytes() / 4 * 3)
                        .weigher((LogStore.TileKey k, Tile t) -> t.weight())
                        .build();
        this.bundles =
                Caffeine.newBuilder()
                        .maximumWeight(settings.cacheBytes() / 4)
                        .weigher((Long k, byte[] b) -> b.length + 48)
                        .build();
        recover();
        this.sequencer =
                Thread.ofPlatform().name("tlog-sequencer").daemon().unstarted(this::sequence);
        sequencer.start();
    }

    public String origin() {
        return settings.origin();
    }

    public NoteKey.Verifier verifier() {
        return signer.verifier();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Runs {@code listener} on the sequencer thread after each new checkpoint; it must not block.
     */
    public void onCheckpoint(Runnable listener) {
        this.onCheckpoint = listener;
    }

    // ---------------------------------------------------------------- appends

    /** Queues an entry; the future completes with its index once it is durably integrated. */
    public CompletableFuture<Long> append(byte[] entry) {
        if (entry.length > MAX_ENTRY) {
            throw new IllegalArgumentException(
                    "a log entry must have at most " + MAX_ENTRY + " bytes");
        }
        if (!running) {
            throw new IllegalStateException("the log is closed");
        }
        Pending p = new Pending(entry.clone(), Merkle.leafHash(entry), new CompletableFuture<>());
        try {
            if (!queue.offer(p, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the log's queue is full");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a log entry", e);
        }
        return p.done();
    }

    /** Appends and waits for the index. */
    public long appendAndWait(byte[] entry) {
        try {
            return append(entry).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the log did not take the entry within 60 seconds", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to the log", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
        }
    }

    private void sequence() {
        List<Pending> batch = new ArrayList<>(settings.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                integrate(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("log batch of {} entries failed", batch.size(), e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new IllegalStateException("the log is closed"));
        }
    }

    private void integrate(List<Pending> batch) {
        writeLock.lock();
        try {
            long start = range.size();
            List<byte[]> entries = new ArrayList<>(batch.size());
            List<byte[]> hashes = new ArrayList<>(batch.size());
            Map<String, Long> inBatch = new HashMap<>();
            long[] indexes = new long[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                String key = Merkle.hex(p.leafHash());
                Long seen = inBatch.get(key);
                if (seen == null) {
                    OptionalLong stored = store.indexOf(p.leafHash());
                    if (stored.isPresent()) {
                        seen = stored.getAsLong();
                    }
                }
                if (seen != null) {
                    indexes[i] = seen;
                    continue;
                }
                long index = start + entries.size();
                inBatch.put(key, index);
                indexes[i] = index;
                entries.add(p.entry());
                hashes.add(p.leafHash());
            }
            if (!entries.isEmpty()) {
                CompactRange newRange = range.copy();
                byte[][] newEdge = new byte[edge.length][];
                for (int l = 0; l < edge.length; l++) {
                    newEdge[l] = edge[l];
                }
                Map<LogStore.TileKey, byte[]> dirty = new LinkedHashMap<>();
                for (byte[] h : hashes) {
                    newRange.append(h);
                    addNode(newEdge, 0, newRange.size() - 1, h, dirty);
                }
                Checkpoint head =
                        new Checkpoint(settings.origin(), newRange.size(), newRange.root());
                String note = Note.sign(head.body(), signer).format();
                store.integrate(start, entries, hashes, dirty, note);
                // Committed: install the new state.
                range = newRange;
                System.arraycopy(newEdge, 0, edge, 0, edge.length);
                dirty.forEach(
                        (k, v) -> {
                            if (v.length == TilePath.WIDTH * Merkle.HASH_SIZE) {
                                tiles.put(k, new Tile(v));
                            }
                        });
                snapshot = new Snapshot(head.size(), head, note, edge.clone());
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(indexes[i]);
            }
            Runnable listener = onCheckpoint;
            if (listener != null && !entries.isEmpty()) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("checkpoint listener failed", e);
                }
            }
        } catch (RuntimeException e) {
            recover();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Adds a complete node of height 8 x level at position {@code pos} to its edge tile, carrying
     * full tiles upwards.
     */
    private static void addNode(
            byte[][] edge, int level, long pos, byte[] hash, Map<LogStore.TileKey, byte[]> dirty) {
        byte[] current = edge[level];
        byte[] grown = new byte[current.length + Merkle.HASH_SIZE];
        System.arraycopy(current, 0, grown, 0, current.length);
        System.arraycopy(hash, 0, grown, current.length, Merkle.HASH_SIZE);
        LogStore.TileKey key = new LogStore.TileKey(level, pos >>> 8);
        dirty.put(key, grown);
        if (grown.length == TilePath.WIDTH * Merkle.HASH_SIZE) {
            edge[level] = new byte[0];
            addNode(edge, level + 1, pos >>> 8, new Tile(grown).root(), dirty);
        } else {
            edge[level] = grown;
        }
    }

    /** Loads the last committed state, creating the empty log's checkpoint on first use. */
    private void recover() {
        writeLock.lock();
        try {
            String note = store.checkpoint();
            if (note == null) {
                Checkpoint head = new Checkpoint(settings.origin(), 0, Merkle.emptyRoot());
                note = Note.sign(head.body(), signer).format();
                store.integrate(0, List.of(), List.of(), Map.of(), note);
            }
            Note parsed = Note.parse(note);
            if (parsed.verify(List.of(signer.verifier())).isEmpty()) {
                throw new IllegalStateException(
                        "the stored checkpoint is not signed by this log's key "
                                + signer.verifier().vkey());
            }
            Checkpoint head = Checkpoint.parse(parsed.text());
            if (!head.origin().equals(settings.origin())) {
                throw new IllegalStateException(
                        "the stored log has origin \""
                                + head.origin()
                                + "\", not \""
                                + settings.origin()
                                + "\"");
            }
            long size = head.size();
            for (int level = 0; level < edge.length; level++) {
                int width = (int) (shift(size, TilePath.HEIGHT * level) & 0xff);
                if (width == 0) {
                    edge[level] = new byte[0];
                    continue;
                }
                byte[] stored = store.tile(level, shift(size, TilePath.HEIGHT * (level + 1)));
                if (stored == null || stored.length < width * Merkle.HASH_SIZE) {
                    throw new IllegalStateException(
                            "log tile "
                                    + level
                                    + "/"
                                    + shift(size, TilePath.HEIGHT * (level + 1))
                                    + " is missing");
                }
                edge[level] = java.util.Arrays.copyOf(stored, width * Merkle.HASH_SIZE);
            }
            Snapshot s = new Snapshot(size, head, note, edge.clone());
            this.snapshot = s;
            this.range = CompactRange.of(nodes(s, true), size);
            if (!Merkle.same(range.root(), head.root())) {
                throw new IllegalStateException(
                        "the log's tiles do not match its checkpoint at size " + size);
            }
        } finally {
            writeLock.unlock();
        }
    }

    static long shift(long v, int bits) {
        return bits >= 64 ? 0 : v >>> bits;
    }

    // ---------------------------------------------------------------- witnesses

    /**
     * Adds a witness's cosignature line to the checkpoint of {@code size} if that is still the
     * latest; replaces an earlier cosignature of the same key. Returns whether it was added.
     */
    public boolean addCosignature(long size, Note.Signature cosignature) {
        writeLock.lock();
        try {
            Snapshot s = snapshot;
            if (s.size() != size) {
                return false;
            }
            Note note = Note.parse(s.checkpoint());
            List<Note.Signature> sigs = new ArrayList<>();
            for (Note.Signature old : note.signatures()) {
                if (!(old.name().equals(cosignature.name())
                        && old.keyId() == cosignature.keyId())) {
                    sigs.add(old);
                }
            }
            sigs.add(cosignature);
            String updated = new Note(note.text(), sigs).format();
            if (!store.updateCheckpoint(size, updated)) {
                return false;
            }
            snapshot = s.withNote(updated);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * The bytes of a tile or entry bundle, or null when it does not exist (yet). May read storage.
     */
    public byte[] read(TilePath path) {
        return read(path, true);
    }

    /**
     * As {@link #read(TilePath)} from memory only: null when the answer needs storage (or the tile
     * does not exist); then call {@link #read(TilePath)} on a thread that may block.
     */
    public byte[] readCached(TilePath path) {
        try {
            return read(path, false);
        } catch (WouldBlock e) {
            return null;
        }
    }

    private byte[] read(TilePath path, boolean mayBlock) {
        Snapshot s = snapshot;
        if (path.entries()) {
            return bundle(s, path, mayBlock);
        }
        int level = path.level();
        if (level > TilePath.MAX_LEVEL) {
            return null;
        }
        long edgeIndex = shift(s.size, TilePath.HEIGHT * (level + 1));
        int edgeWidth = (int) (shift(s.size, TilePath.HEIGHT * level) & 0xff);
        byte[] hashes;
        if (path.index() < edgeIndex) {
            hashes = fullTile(level, path.index(), mayBlock).hashes();
        } else if (path.index() == edgeIndex && path.partial() && path.width() <= edgeWidth) {
            hashes = s.edge[level];
        } else {
            return null;
        }
        int len = path.width() * Merkle.HASH_SIZE;
        return hashes.length == len ? hashes : java.util.Arrays.copyOf(hashes, len);
    }

    private Tile fullTile(int level, long index, boolean mayBlock) {
        LogStore.TileKey key = new LogStore.TileKey(level, index);
        Tile t = tiles.getIfPresent(key);
        if (t != null) {
            return t;
        }
        if (!mayBlock) {
            throw new WouldBlock();
        }
        byte[] stored = store.tile(level, index);
        if (stored == null || stored.length != TilePath.WIDTH * Merkle.HASH_SIZE) {
            throw new IllegalStateException("log tile " + level + "/" + index + " is missing");
        }
        t = new Tile(stored);
        tiles.put(key, t);
        return t;
    }

    private byte[] bundle(Snapshot s, TilePath path, boolean mayBlock) {
        if (path.index() > shift(s.size, TilePath.HEIGHT)) {
            return null;
        }
        long from = path.index() * TilePath.WIDTH;
        long to = from + path.width();
        if (to > s.size || (!path.partial() && to > s.size)) {
            return null;
        }
        if (path.partial() && shift(s.size, TilePath.HEIGHT) > path.index()) {
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
    public java.nio.file.Path fullBundleFile(long index) {
        java.nio.file.Path dir = settings.bundleDir();
        if (dir == null || index < 0 || index >= shift(snapshot.size, TilePath.HEIGHT)) {
            return null;
        }
        java.nio.file.Path file =
                dir.resolve(new TilePath(TilePath.ENTRIES, index, TilePath.WIDTH).path());
        if (java.nio.file.Files.exists(file)) {
            return file;
        }
        byte[] bytes =
                bundle(snapshot, new TilePath(TilePath.ENTRIES, index, TilePath.WIDTH), true);
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
    public List<byte[]> entries(long from, long to) {
        if (from < 0 || to > snapshot.size || from > to) {
            throw new IllegalArgumentException(
                    "entries " + from + " to " + to + " are not in the log");
        }
        return store.entries(from, to);
    }

    /** The index of an entry by its RFC 9162 leaf hash, if it is in the log. */
    public OptionalLong indexOf(byte[] leafHash) {
        OptionalLong i = store.indexOf(leafHash);
        return i.isPresent() && i.getAsLong() < snapshot.size ? i : OptionalLong.empty();
    }

    // ---------------------------------------------------------------- proofs

    /**
     * RFC 9162 inclusion proof of entry {@code index} in the tree of {@code size} (at most the
     * current size).
     */
    public List<byte[]> inclusionProof(long index, long size) {
        Snapshot s = snapshot;
        checkSize(s, size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(
                    "entry " + index + " is not in the tree of size " + size);
        }
        return Proofs.inclusion(nodes(s, true), index, size);
    }

    /** As {@link #inclusionProof} from memory only, or null when storage would be needed. */
    public List<byte[]> inclusionProofCached(long index, long size) {
        Snapshot s = snapshot;
        if (size > s.size || index < 0 || index >= size) {
            return null;
        }
        try {
            return Proofs.inclusion(nodes(s, false), index, size);
        } catch (WouldBlock e) {
            return null;
        }
    }

    /** RFC 9162 consistency proof from the tree of {@code size1} to the one of {@code size2}. */
    public List<byte[]> consistencyProof(long size1, long size2) {
        Snapshot s = snapshot;
        checkSize(s, size2);
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException(
                    "cannot prove size " + size1 + " against size " + size2);
        }
        return Proofs.consistency(nodes(s, true), size1, size2);
    }

    /** As {@link #consistencyProof} from memory only, or null when storage would be needed. */
    public List<byte[]> consistencyProofCached(long size1, long size2) {
        Snapshot s = snapshot;
        if (size2 > s.size || size1 < 0 || size1 > size2) {
            return null;
        }
        try {
            return Proofs.consistency(nodes(s, false), size1, size2);
        } catch (WouldBlock e) {
            return null;
        }
    }

    /** The root hash of the tree of {@code size} leaves (at most the current size). */
    public byte[] rootAt(long size) {
        Snapshot s = snapshot;
        checkSize(s, size);
        return Proofs.root(nodes(s, true), size);
    }

    private static void checkSize(Snapshot s, long size) {
        if (size < 0 || size > s.size) {
            throw new IllegalArgumentException("the log has " + s.size + " entries, not " + size);
        }
    }

    private Proofs.NodeReader nodes(Snapshot s, boolean mayBlock) {
        return new Proofs.NodeReader() {
            @Override
            public byte[] node(int height, long index) {
                int level = height / TilePath.HEIGHT;
                int k = height % TilePath.HEIGHT;
                long pos = index << k;
                long tileIndex = pos >>> 8;
                int inTile = (int) (pos & 0xff) >> k;
                long edgeIndex = shift(s.size, TilePath.HEIGHT * (level + 1));
                Tile t =
                        tileIndex < edgeIndex
                                ? fullTile(level, tileIndex, mayBlock)
                                : s.edgeTile(level);
                byte[] h = tileIndex <= edgeIndex ? t.node(k, inTile) : null;
                if (h == null) {
                    throw new IllegalStateException(
                            "node " + height + "/" + index + " is not complete at size " + s.size);
                }
                return h;
            }

            @Override
            public byte[] range(long start, long end) {
                if (end != s.size) {
                    return Proofs.NodeReader.super.range(start, end);
                }
                byte[] h = s.edgeRanges.get(start);
                if (h == null) {
                    h = Proofs.NodeReader.super.range(start, end);
                    s.edgeRanges.put(start, h);
                }
                return h;
            }
        };
    }

    @Override
    public void close() {
        running = false;
        sequencer.interrupt();
        try {
            sequencer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
