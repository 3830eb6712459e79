package dev.warden.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log's one writer (the group commit): a thread takes appends from a queue in batches, gives
 * each new entry the next index, extends the tree's tiles, signs a new checkpoint and writes all of
 * it in one store transaction; only then are the appends acknowledged and the new snapshot
 * published. It also adds witnesses' cosignatures to the latest checkpoint.
 */
final class Sequencer implements LogWriter {

    // Logged under the log's name, as operators know it.
    private static final Logger LOG = LoggerFactory.getLogger(TransparencyLog.class);

    private record Pending(byte[] entry, byte[] leafHash, CompletableFuture<Long> done) {}

    private final LogStore store;
    private final NoteKey.Signer signer;
    private final TransparencyLog.Settings settings;
    private final TileReads tiles;
    private final BlockingQueue<Pending> queue;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Thread sequencer;
    private volatile boolean running = true;
    private volatile TransparencyLog.Snapshot snapshot;
    private volatile Runnable onCheckpoint;

    // Sequencer state, guarded by writeLock.
    private CompactRange range;
    private final byte[][] edge = new byte[TilePath.MAX_LEVEL + 2][];

    /** Recovers the last committed state; {@link #start} then starts the thread. */
    Sequencer(
            LogStore store,
            NoteKey.Signer signer,
            TransparencyLog.Settings settings,
            TileReads tiles) {
        this.store = store;
        this.signer = signer;
        this.settings = settings;
        this.tiles = tiles;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        recover();
        this.sequencer =
                Thread.ofPlatform().name("tlog-sequencer").daemon().unstarted(this::sequence);
    }

    @Override
    public void start() {
        sequencer.start();
    }

    @Override
    public TransparencyLog.Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public void onCheckpoint(Runnable listener) {
        this.onCheckpoint = listener;
    }

    /** Queues an entry; the future completes with its index once it is durably integrated. */
    @Override
    public CompletableFuture<Long> append(byte[] entry) {
        if (entry.length > TransparencyLog.MAX_ENTRY) {
            throw new IllegalArgumentException(
                    "a log entry must have at most " + TransparencyLog.MAX_ENTRY + " bytes");
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
                Grown grown = grow(range, edge, hashes);
                CompactRange newRange = grown.range();
                byte[][] newEdge = grown.edge();
                Map<LogStore.TileKey, byte[]> dirty = grown.dirty();
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
                snapshot = new TransparencyLog.Snapshot(head.size(), head, note, edge.clone());
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

    /** A tree grown by a batch: its new edge and the tiles that changed, not yet committed. */
    record Grown(CompactRange range, byte[][] edge, Map<LogStore.TileKey, byte[]> dirty) {}

    /** Grows the tree of {@code range} and {@code edge} (left unchanged) by {@code hashes}. */
    static Grown grow(CompactRange range, byte[][] edge, List<byte[]> hashes) {
        CompactRange newRange = range.copy();
        byte[][] newEdge = edge.clone();
        Map<LogStore.TileKey, byte[]> dirty = new LinkedHashMap<>();
        for (byte[] h : hashes) {
            newRange.append(h);
            addNode(newEdge, 0, newRange.size() - 1, h, dirty);
        }
        return new Grown(newRange, newEdge, dirty);
    }

    /** {@code note} with {@code cosignature} added, replacing an earlier one of the same key. */
    static String withCosignature(String note, Note.Signature cosignature) {
        Note parsed = Note.parse(note);
        List<Note.Signature> sigs = new ArrayList<>();
        for (Note.Signature old : parsed.signatures()) {
            if (!(old.name().equals(cosignature.name()) && old.keyId() == cosignature.keyId())) {
                sigs.add(old);
            }
        }
        sigs.add(cosignature);
        return new Note(parsed.text(), sigs).format();
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

    /**
     * Loads the last committed state ({@link Recovery}) and checks the tiles against its
     * checkpoint.
     */
    private void recover() {
        writeLock.lock();
        try {
            TransparencyLog.Snapshot s = Recovery.load(store, signer, settings.origin(), edge);
            this.snapshot = s;
            this.range = CompactRange.of(tiles.nodes(s, true), s.size());
            if (!Merkle.same(range.root(), s.root())) {
                throw new IllegalStateException(
                        "the log's tiles do not match its checkpoint at size " + s.size());
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Adds a witness's cosignature line to the checkpoint of {@code size} if that is still the
     * latest; replaces an earlier cosignature of the same key. Returns whether it was added.
     */
    @Override
    public boolean addCosignature(long size, Note.Signature cosignature) {
        writeLock.lock();
        try {
            TransparencyLog.Snapshot s = snapshot;
            if (s.size() != size) {
                return false;
            }
            String updated = withCosignature(s.checkpoint(), cosignature);
            if (!store.updateCheckpoint(size, updated)) {
                return false;
            }
            snapshot = s.withNote(updated);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Stops the thread (appends already queued are still integrated), waiting up to 10 s. */
    @Override
    public void close() {
        running = false;
        sequencer.interrupt();
        try {
            sequencer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
