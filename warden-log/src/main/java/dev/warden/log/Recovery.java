package dev.warden.log;

import java.util.List;
import java.util.Map;

/**
 * Recovery at start and after a failed batch: the last committed checkpoint, checked against this
 * log's key and origin, and the tree's right edge rebuilt from the stored tiles. The caller holds
 * the write lock and checks the edge against the checkpoint's root.
 */
final class Recovery {

    private Recovery() {}

    /**
     * Loads the last committed state into {@code edge}, creating the empty log's checkpoint on
     * first use; answers the snapshot of it.
     */
    static TransparencyLog.Snapshot load(
            LogStore store, NoteKey.Signer signer, String origin, byte[][] edge) {
        String note = store.checkpoint();
        if (note == null) {
            Checkpoint head = new Checkpoint(origin, 0, Merkle.emptyRoot());
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
        if (!head.origin().equals(origin)) {
            throw new IllegalStateException(
                    "the stored log has origin \"" + head.origin() + "\", not \"" + origin + "\"");
        }
        long size = head.size();
        for (int level = 0; level < edge.length; level++) {
            int width = (int) (TilePath.shift(size, TilePath.HEIGHT * level) & 0xff);
            if (width == 0) {
                edge[level] = new byte[0];
                continue;
            }
            byte[] stored = store.tile(level, TilePath.shift(size, TilePath.HEIGHT * (level + 1)));
            if (stored == null || stored.length < width * Merkle.HASH_SIZE) {
                throw new IllegalStateException(
                        "log tile "
                                + level
                                + "/"
                                + TilePath.shift(size, TilePath.HEIGHT * (level + 1))
                                + " is missing");
            }
            edge[level] = java.util.Arrays.copyOf(stored, width * Merkle.HASH_SIZE);
        }
        return new TransparencyLog.Snapshot(size, head, note, edge.clone());
    }
}
