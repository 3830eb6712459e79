package dev.warden.log;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

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
 *
 * <p>Over a {@link SharedLogStore} (several nodes), appends from every node go through the store's
 * durable queue and the node holding the store's lease integrates them ({@link SharedSequencer});
 * the others follow the stored checkpoint.
 *
 * <p>Each part is its own class: the {@link Sequencer} (appends, the group commit, cosignatures)
 * with its {@link Recovery}, {@link TileReads}, {@link EntryReads} and {@link LogProofs}; this
 * class wires them.
 */
public final class TransparencyLog implements AutoCloseable {

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
        final long size;
        private final Checkpoint head;
        private final String note;
        final byte[][] edge;
        private final Tile[] edgeTiles;

        /** MTH of the right-edge ranges [start, size), which most proofs against this size need. */
        final java.util.concurrent.ConcurrentHashMap<Long, byte[]> edgeRanges =
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

    private final LogStore store;
    private final Settings settings;
    private final NoteKey.Signer signer;
    private final LogWriter sequencer;
    private final TileReads tiles;
    private final EntryReads entries;
    private final LogProofs proofs;

    public TransparencyLog(LogStore store, NoteKey.Signer signer, Settings settings) {
        this.store = store;
        this.signer = signer;
        this.settings = settings;
        // Most of the memory goes to tiles: every proof reads one per level. Full bundles can be
        // files.
        this.tiles = new TileReads(store, settings.cacheBytes() / 4 * 3);
        this.sequencer =
                store instanceof SharedLogStore shared
                        ? new SharedSequencer(shared, signer, settings, tiles)
                        : new Sequencer(store, signer, settings, tiles);
        this.entries =
                new EntryReads(
                        store,
                        settings.cacheBytes() / 4,
                        settings.bundleDir(),
                        sequencer::snapshot);
        this.proofs = new LogProofs(tiles);
        sequencer.start();
    }

    public String origin() {
        return settings.origin();
    }

    public NoteKey.Verifier verifier() {
        return signer.verifier();
    }

    public Snapshot snapshot() {
        return sequencer.snapshot();
    }

    /**
     * Whether this node runs the log's sequencer now: always for a store of its own; over a shared
     * store, while it holds the store's lease.
     */
    public boolean sequencing() {
        return sequencer.leads();
    }

    /**
     * Runs {@code listener} on the sequencer thread after each new checkpoint; it must not block.
     */
    public void onCheckpoint(Runnable listener) {
        sequencer.onCheckpoint(listener);
    }

    // ---------------------------------------------------------------- appends

    /** Queues an entry; the future completes with its index once it is durably integrated. */
    public CompletableFuture<Long> append(byte[] entry) {
        return sequencer.append(entry);
    }

    /** Appends and waits for the index. */
    public long appendAndWait(byte[] entry) {
        return sequencer.appendAndWait(entry);
    }

    // ---------------------------------------------------------------- witnesses

    /**
     * Adds a witness's cosignature line to the checkpoint of {@code size} if that is still the
     * latest; replaces an earlier cosignature of the same key. Returns whether it was added.
     */
    public boolean addCosignature(long size, Note.Signature cosignature) {
        return sequencer.addCosignature(size, cosignature);
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
        Snapshot s = snapshot();
        if (path.entries()) {
            return entries.bundle(s, path, mayBlock);
        }
        return tiles.read(s, path, mayBlock);
    }

    /**
     * The file holding full entry bundle {@code index}, written from the store on first use; null
     * when that bundle is not full yet or bundle files are off. May block.
     */
    public java.nio.file.Path fullBundleFile(long index) {
        return entries.fullBundleFile(index);
    }

    /** The entries {@code [from, to)}. */
    public List<byte[]> entries(long from, long to) {
        return entries.entries(from, to);
    }

    /** The index of an entry by its RFC 9162 leaf hash, if it is in the log. */
    public OptionalLong indexOf(byte[] leafHash) {
        return entries.indexOf(leafHash);
    }

    // ---------------------------------------------------------------- proofs

    /**
     * RFC 9162 inclusion proof of entry {@code index} in the tree of {@code size} (at most the
     * current size).
     */
    public List<byte[]> inclusionProof(long index, long size) {
        return proofs.inclusionProof(snapshot(), index, size);
    }

    /** As {@link #inclusionProof} from memory only, or null when storage would be needed. */
    public List<byte[]> inclusionProofCached(long index, long size) {
        return proofs.inclusionProofCached(snapshot(), index, size);
    }

    /** RFC 9162 consistency proof from the tree of {@code size1} to the one of {@code size2}. */
    public List<byte[]> consistencyProof(long size1, long size2) {
        return proofs.consistencyProof(snapshot(), size1, size2);
    }

    /** As {@link #consistencyProof} from memory only, or null when storage would be needed. */
    public List<byte[]> consistencyProofCached(long size1, long size2) {
        return proofs.consistencyProofCached(snapshot(), size1, size2);
    }

    /** The root hash of the tree of {@code size} leaves (at most the current size). */
    public byte[] rootAt(long size) {
        return proofs.rootAt(snapshot(), size);
    }

    @Override
    public void close() {
        sequencer.close();
        store.close();
    }
}
