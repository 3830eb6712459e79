package dev.warden.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The log's writer when several nodes share its store.
 *
 * <p>Design: every append, on any node, takes one path: an enqueuer thread writes the appends that
 * arrived meanwhile to the store's durable queue in one transaction, and the append's future waits
 * for its leaf hash to appear in the tree. One node holds the store's lease: its sequencer thread
 * recovers the last committed state, then integrates the queue in batches (a compare-and-set on the
 * stored size, so a node that lost the lease without knowing cannot give an index twice) and
 * completes its own waiters from the batch. The others retry the lease about every second and, when
 * the stored checkpoint changes, load the new snapshot ({@link Recovery}: checkpoint and right
 * edge; cached full tiles stay valid since full tiles never change) and complete their waiters from
 * the new level-0 hashes. An append not integrated within a minute fails with a clear message,
 * though it stays queued and will be integrated.
 */
final class SharedSequencer implements LogWriter {

    // Logged under the log's name, as operators know it.
    private static final Logger LOG = LoggerFactory.getLogger(TransparencyLog.class);

    static final Duration LEASE_RETRY = Duration.ofSeconds(1);
    static final long APPEND_TIMEOUT_SECONDS = 60;

    private record Local(byte[] entry, byte[] leafHash) {}

    /** A snapshot with what the writer needs to carry on from it. */
    private record Loaded(TransparencyLog.Snapshot snapshot, CompactRange range) {}

    private final SharedLogStore store;
    private final NoteKey.Signer signer;
    private final TransparencyLog.Settings settings;
    private final TileReads tiles;
    private final BlockingQueue<Local> outbox;
    private final Map<String, List<CompletableFuture<Long>>> waiters = new ConcurrentHashMap<>();
    private final AtomicReference<TransparencyLog.Snapshot> snapshot = new AtomicReference<>();
    private final Thread enqueuer;
    private final Thread sequencer;
    private volatile boolean running = true;
    private volatile Runnable onCheckpoint;

    // The sequencer thread's own state (the lease is read by leads() too).
    private volatile SharedLogStore.Lease lease;
    private CompactRange range;
    private byte[][] edge;

    SharedSequencer(
            SharedLogStore store,
            NoteKey.Signer signer,
            TransparencyLog.Settings settings,
            TileReads tiles) {
        this.store = store;
        this.signer = signer;
        this.settings = settings;
        this.tiles = tiles;
        this.outbox = new ArrayBlockingQueue<>(settings.queueCapacity());
        snapshot.set(load().snapshot());
        this.enqueuer =
                Thread.ofPlatform().name("tlog-enqueuer").daemon().unstarted(this::enqueueLoop);
        this.sequencer =
                Thread.ofPlatform().name("tlog-shared").daemon().unstarted(this::sequenceLoop);
    }

    @Override
    public void start() {
        enqueuer.start();
        sequencer.start();
    }

    @Override
    public TransparencyLog.Snapshot snapshot() {
        return snapshot.get();
    }

    @Override
    public void onCheckpoint(Runnable listener) {
        this.onCheckpoint = listener;
    }

    @Override
    public boolean leads() {
        return lease != null;
    }

    @Override
    public CompletableFuture<Long> append(byte[] entry) {
        if (entry.length > TransparencyLog.MAX_ENTRY) {
            throw new IllegalArgumentException(
                    "a log entry must have at most " + TransparencyLog.MAX_ENTRY + " bytes");
        }
        if (!running) {
            throw new IllegalStateException("the log is closed");
        }
        Local local = new Local(entry.clone(), Merkle.leafHash(entry));
        String key = Merkle.hex(local.leafHash());
        CompletableFuture<Long> done = new CompletableFuture<>();
        // Waiting before queueing: whichever refresh first sees the entry finds the waiter.
        waiters.compute(
                key,
                (k, list) -> {
                    List<CompletableFuture<Long>> l = list == null ? new ArrayList<>() : list;
                    l.add(done);
                    return l;
                });
        CompletableFuture.delayedExecutor(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .execute(() -> expire(key, done));
        try {
            if (!outbox.offer(local, 10, TimeUnit.SECONDS)) {
                forget(key, done);
                throw new IllegalStateException("the log's queue is full");
            }
        } catch (InterruptedException e) {
            forget(key, done);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a log entry", e);
        }
        return done;
    }

    private void expire(String key, CompletableFuture<Long> done) {
        if (forget(key, done)) {
            done.completeExceptionally(
                    new IllegalStateException(
                            "the log did not integrate the entry within "
                                    + APPEND_TIMEOUT_SECONDS
                                    + " seconds (no node holds the sequencer's lease, or it is"
                                    + " behind); the entry stays queued and will be integrated"));
        }
    }

    private boolean forget(String key, CompletableFuture<Long> done) {
        boolean[] removed = {false};
        waiters.computeIfPresent(
                key,
                (k, list) -> {
                    removed[0] = list.remove(done);
                    return list.isEmpty() ? null : list;
                });
        return removed[0];
    }

    private void complete(String key, long index) {
        List<CompletableFuture<Long>> list = waiters.remove(key);
        if (list != null) {
            list.forEach(f -> f.complete(index));
        }
    }

    private void fail(String key, RuntimeException e) {
        List<CompletableFuture<Long>> list = waiters.remove(key);
        if (list != null) {
            list.forEach(f -> f.completeExceptionally(e));
        }
    }

    // ---------------------------------------------------------------- the enqueuer

    /** Writes the appends that arrived meanwhile to the shared queue, one transaction a batch. */
    private void enqueueLoop() {
        List<Local> batch = new ArrayList<>(settings.maxBatch());
        while (running || !outbox.isEmpty()) {
            try {
                Local first = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, settings.maxBatch() - 1);
                List<byte[]> entries = new ArrayList<>(batch.size());
                List<byte[]> hashes = new ArrayList<>(batch.size());
                for (Local l : batch) {
                    entries.add(l.entry());
                    hashes.add(l.leafHash());
                }
                long[] known = store.enqueue(entries, hashes);
                for (int i = 0; i < batch.size(); i++) {
                    if (known[i] >= 0) {
                        complete(Merkle.hex(batch.get(i).leafHash()), known[i]);
                    }
                }
            } catch (InterruptedException e) {
                // Closing: the loop still queues what is left.
            } catch (RuntimeException e) {
                LOG.error("log {}: queueing {} entries failed", settings.origin(), batch.size(), e);
                IllegalStateException failure =
                        new IllegalStateException("the log could not queue the entry", e);
                batch.forEach(l -> fail(Merkle.hex(l.leafHash()), failure));
            } finally {
                batch.clear();
            }
        }
    }

    // ---------------------------------------------------------------- the sequencer

    private void sequenceLoop() {
        while (running) {
            try {
                step();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (SharedLogStore.LeaseLost e) {
                LOG.warn("log {}: {}; following again", settings.origin(), e.getMessage());
                resign();
            } catch (RuntimeException e) {
                LOG.error("log {}: the shared sequencer failed; retrying", settings.origin(), e);
                resign();
                try {
                    Thread.sleep(LEASE_RETRY.toMillis());
                } catch (InterruptedException stop) {
                    if (!running) {
                        break;
                    }
                }
            }
        }
        try {
            // What this node queued before closing is integrated if it still leads.
            if (lease != null && lease.held()) {
                while (lead()) {
                    // until the queue is empty
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("log {}: last batch on close failed", settings.origin(), e);
        }
        resign();
    }

    /** One turn: lead (integrate a batch) or follow (refresh), then wait for a change. */
    private void step() throws InterruptedException {
        if (lease == null) {
            lease = store.tryLead().orElse(null);
            if (lease != null) {
                // Recovery: carry on from exactly what is committed.
                Loaded loaded = load();
                install(loaded);
                LOG.info(
                        "log {}: this node now runs the sequencer, at size {}",
                        settings.origin(),
                        loaded.snapshot().size());
            }
        }
        if (lease != null) {
            if (lead()) {
                return;
            }
            refresh();
        } else {
            refresh();
        }
        store.awaitChange(LEASE_RETRY);
    }

    /** Integrates one batch of the queue; false when it was empty. */
    private boolean lead() {
        if (!lease.held()) {
            throw new SharedLogStore.LeaseLost("this node lost the sequencer's lease");
        }
        List<SharedLogStore.Queued> batch = store.pending(settings.maxBatch());
        if (batch.isEmpty()) {
            return false;
        }
        long start = range.size();
        List<byte[]> entries = new ArrayList<>(batch.size());
        List<byte[]> hashes = new ArrayList<>(batch.size());
        List<byte[]> dequeued = new ArrayList<>(batch.size());
        Map<String, Long> indexes = new HashMap<>();
        for (SharedLogStore.Queued q : batch) {
            dequeued.add(q.leafHash());
            String key = Merkle.hex(q.leafHash());
            if (q.index() >= 0) {
                indexes.put(key, q.index());
            } else if (!indexes.containsKey(key)) {
                indexes.put(key, start + entries.size());
                entries.add(q.entry());
                hashes.add(q.leafHash());
            }
        }
        if (entries.isEmpty()) {
            store.integrate(lease, start, List.of(), List.of(), Map.of(), null, dequeued);
        } else {
            Sequencer.Grown grown = Sequencer.grow(range, edge, hashes);
            Checkpoint head =
                    new Checkpoint(settings.origin(), grown.range().size(), grown.range().root());
            String note = Note.sign(head.body(), signer).format();
            store.integrate(lease, start, entries, hashes, grown.dirty(), note, dequeued);
            range = grown.range();
            edge = grown.edge();
            grown.dirty()
                    .forEach(
                            (k, v) -> {
                                if (v.length == TilePath.WIDTH * Merkle.HASH_SIZE) {
                                    tiles.put(k, new Tile(v));
                                }
                            });
            snapshot.set(new TransparencyLog.Snapshot(head.size(), head, note, edge.clone()));
        }
        indexes.forEach(this::complete);
        Runnable listener = onCheckpoint;
        if (listener != null && !entries.isEmpty()) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("checkpoint listener failed", e);
            }
        }
        return true;
    }

    /**
     * Follows the stored checkpoint: a larger tree is loaded and its new leaves complete waiters;
     * the same tree with new cosignatures replaces the note.
     */
    private void refresh() {
        String stored = store.checkpoint();
        TransparencyLog.Snapshot current = snapshot.get();
        if (stored == null || stored.equals(current.checkpoint())) {
            return;
        }
        long size = Checkpoint.parse(Note.parse(stored).text()).size();
        if (size == current.size()) {
            snapshot.compareAndSet(current, current.withNote(stored));
        } else if (size > current.size()) {
            if (lease != null) {
                throw new SharedLogStore.LeaseLost(
                        "another node integrated entries up to size " + size);
            }
            advance(current, load().snapshot());
        } else {
            LOG.error(
                    "log {}: the stored checkpoint has size {}, below the {} seen before",
                    settings.origin(),
                    size,
                    current.size());
        }
    }

    private void install(Loaded loaded) {
        this.range = loaded.range();
        this.edge = loaded.snapshot().edge.clone();
        advance(snapshot.get(), loaded.snapshot());
    }

    /** Publishes {@code next} and completes the waiters of the leaves it adds to {@code prev}. */
    private void advance(TransparencyLog.Snapshot prev, TransparencyLog.Snapshot next) {
        snapshot.set(next);
        long from = prev.size();
        long to = next.size();
        if (waiters.isEmpty() || to <= from) {
            return;
        }
        for (long t = from >>> TilePath.HEIGHT; t <= (to - 1) >>> TilePath.HEIGHT; t++) {
            long base = t << TilePath.HEIGHT;
            byte[] hashes =
                    base + TilePath.WIDTH <= to
                            ? tiles.fullTile(0, t, true).hashes()
                            : next.edge[0];
            for (long i = Math.max(from, base); i < Math.min(to, base + TilePath.WIDTH); i++) {
                int off = (int) (i - base) * Merkle.HASH_SIZE;
                byte[] h = java.util.Arrays.copyOfRange(hashes, off, off + Merkle.HASH_SIZE);
                complete(Merkle.hex(h), i);
            }
        }
    }

    /**
     * The committed state, checked: the tiles must give the checkpoint's root. Creating an empty
     * log's first checkpoint may race another node doing the same; then it is read again.
     */
    private Loaded load() {
        for (int attempt = 0; ; attempt++) {
            byte[][] e = new byte[TilePath.MAX_LEVEL + 2][];
            try {
                TransparencyLog.Snapshot s = Recovery.load(store, signer, settings.origin(), e);
                CompactRange r = CompactRange.of(tiles.nodes(s, true), s.size());
                if (!Merkle.same(r.root(), s.root())) {
                    throw new IllegalStateException(
                            "the log's tiles do not match its checkpoint at size " + s.size());
                }
                return new Loaded(s, r);
            } catch (SharedLogStore.LeaseLost raced) {
                if (attempt >= 2) {
                    throw raced;
                }
            }
        }
    }

    private void resign() {
        SharedLogStore.Lease l = lease;
        lease = null;
        range = null;
        edge = null;
        if (l != null) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.debug("releasing the lease", e);
            }
        }
    }

    /**
     * Adds a cosignature to the stored checkpoint of {@code size} if that is still the latest: a
     * compare-and-set on the stored note, so cosignatures added at once by several nodes all stay.
     */
    @Override
    public boolean addCosignature(long size, Note.Signature cosignature) {
        for (int attempt = 0; attempt < 5; attempt++) {
            String stored = store.checkpoint();
            if (stored == null || Checkpoint.parse(Note.parse(stored).text()).size() != size) {
                return false;
            }
            String updated = Sequencer.withCosignature(stored, cosignature);
            if (store.replaceCheckpoint(stored, updated)) {
                TransparencyLog.Snapshot s = snapshot.get();
                if (s.size() == size) {
                    snapshot.compareAndSet(s, s.withNote(updated));
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Stops: appends still in memory are queued, and integrated first if this node leads; the
     * waiters left fail (their entries stay queued for the next sequencer).
     */
    @Override
    public void close() {
        running = false;
        enqueuer.interrupt();
        join(enqueuer);
        sequencer.interrupt();
        join(sequencer);
        IllegalStateException closed =
                new IllegalStateException(
                        "the log was closed before the entry was integrated; it stays queued");
        for (String key : List.copyOf(waiters.keySet())) {
            fail(key, closed);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
