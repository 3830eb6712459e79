package dev.warden.server;

import dev.warden.log.Checkpoint;
import dev.warden.log.Cosignature;
import dev.warden.log.Merkle;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the log explorer checks on the server, for readers without JavaScript, each with the reason
 * a person reads: a checkpoint's signatures (the log's, the witnesses'), an inclusion proof (RFC
 * 9162 §2.1.3.2), a consistency proof (§2.1.4.2), and a checkpoint pasted by a reader. The
 * arithmetic is warden-log's {@link Merkle}; this class says what its answer means.
 */
final class LogChecks {

    /** Largest pasted checkpoint read, in bytes: a checkpoint with a few cosignatures is ~1 KiB. */
    static final int MAX_PASTED = 8 * 1024;

    private LogChecks() {}

    /** A check's outcome and why. */
    record Verdict(boolean ok, String text) {}

    /**
     * One signature line of a checkpoint.
     *
     * @param role "log", "witness", or "unknown" for a key this server does not know
     * @param time a witness's cosignature time (Unix seconds), or -1
     */
    record SignatureCheck(String role, String name, String keyId, long time, boolean verified) {}

    /** A signed checkpoint and what was found of each of its signatures. */
    record Signed(Checkpoint checkpoint, String note, List<SignatureCheck> signatures) {

        boolean signedByLog() {
            return signatures.stream().anyMatch(s -> s.role().equals("log") && s.verified());
        }
    }

    /**
     * Reads a checkpoint note and checks every signature line against the log's key and the
     * witnesses' keys; throws {@link IllegalArgumentException} with the reason when it is not a
     * checkpoint.
     */
    static Signed signed(
            String noteText, NoteKey.Verifier logKey, List<NoteKey.Verifier> witnesses) {
        Note note;
        try {
            note = Note.parse(noteText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a signed note: " + e.getMessage());
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a checkpoint: " + e.getMessage());
        }
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        List<SignatureCheck> checks = new ArrayList<>();
        for (Note.Signature s : note.signatures()) {
            String id = NoteKey.hexId(s.keyId());
            if (matches(logKey, s)) {
                checks.add(
                        new SignatureCheck(
                                "log", s.name(), id, -1, logKey.verify(text, s.bytes())));
                continue;
            }
            NoteKey.Verifier witness =
                    witnesses.stream().filter(w -> matches(w, s)).findFirst().orElse(null);
            if (witness != null) {
                long time = Cosignature.verify(witness, note.text(), s);
                long claimed =
                        s.bytes().length == 72 ? java.nio.ByteBuffer.wrap(s.bytes()).getLong() : -1;
                checks.add(
                        new SignatureCheck(
                                "witness", s.name(), id, time >= 0 ? time : claimed, time >= 0));
            } else {
                checks.add(new SignatureCheck("unknown", s.name(), id, -1, false));
            }
        }
        return new Signed(checkpoint, noteText, checks);
    }

    private static boolean matches(NoteKey.Verifier key, Note.Signature s) {
        return key.name().equals(s.name()) && key.keyId() == s.keyId();
    }

    /**
     * A checkpoint a reader pasted, as a browser's textarea sends it (CRLF line ends, maybe no
     * final newline): it must be this log's ({@code origin}), signed by its key, and no larger than
     * the log is now. Throws {@link IllegalArgumentException} naming what is wrong.
     */
    static Signed pasted(
            String text,
            NoteKey.Verifier logKey,
            List<NoteKey.Verifier> witnesses,
            String origin,
            long currentSize) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("paste a checkpoint: the text is empty");
        }
        if (text.length() > MAX_PASTED) {
            throw new IllegalArgumentException(
                    "the pasted checkpoint is larger than " + MAX_PASTED + " bytes");
        }
        String normal = text.replace("\r\n", "\n").strip() + "\n";
        Signed signed = signed(normal, logKey, witnesses);
        Checkpoint c = signed.checkpoint();
        if (!c.origin().equals(origin)) {
            throw new IllegalArgumentException(
                    "the checkpoint is of the log \""
                            + c.origin()
                            + "\", not of this log (\""
                            + origin
                            + "\")");
        }
        boolean claimsLog = signed.signatures().stream().anyMatch(s -> s.role().equals("log"));
        if (!claimsLog) {
            throw new IllegalArgumentException(
                    "the checkpoint carries no signature by this log's key "
                            + logKey.name()
                            + "+"
                            + NoteKey.hexId(logKey.keyId()));
        }
        if (!signed.signedByLog()) {
            throw new IllegalArgumentException(
                    "the checkpoint's signature by " + logKey.name() + " does not verify");
        }
        if (c.size() > currentSize) {
            throw new IllegalArgumentException(
                    "the checkpoint's size "
                            + c.size()
                            + " is beyond this log's size "
                            + currentSize
                            + ": it is not a checkpoint this log has published");
        }
        if (c.size() == 0) {
            throw new IllegalArgumentException(
                    "the checkpoint is of the empty tree: every tree is consistent with it");
        }
        return signed;
    }

    /**
     * RFC 9162 §2.1.3.2: does {@code proof} lead from {@code leaf} at {@code index} to {@code
     * root}?
     */
    static Verdict inclusion(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
        byte[] computed = Merkle.rootFromInclusion(index, size, leaf, proof);
        if (computed == null) {
            return new Verdict(
                    false,
                    "The proof does not have the shape of a proof for entry "
                            + index
                            + " in a tree of "
                            + size
                            + " entries ("
                            + proof.size()
                            + " hashes).");
        }
        if (!java.security.MessageDigest.isEqual(computed, root)) {
            return new Verdict(
                    false,
                    "The proof leads to the root "
                            + Merkle.hex(computed)
                            + ", but the checkpoint's root is "
                            + Merkle.hex(root)
                            + ".");
        }
        return new Verdict(
                true,
                "Entry "
                        + index
                        + " is in the tree of "
                        + size
                        + " entries: its leaf hash and the "
                        + proof.size()
                        + " proof hashes lead to the checkpoint's root.");
    }

    /**
     * RFC 9162 §2.1.4.2: does {@code proof} show that the tree at {@code to} extends the one at
     * {@code from}?
     */
    static Verdict consistency(
            long from, long to, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (Merkle.verifyConsistency(from, to, oldRoot, newRoot, proof)) {
            return new Verdict(
                    true,
                    "The tree of "
                            + to
                            + " entries extends the tree of "
                            + from
                            + " entries: the "
                            + proof.size()
                            + " proof hashes lead to both roots.");
        }
        if (from == to) {
            return new Verdict(
                    false,
                    "Both trees have "
                            + from
                            + " entries but different roots ("
                            + Merkle.hex(oldRoot)
                            + " and "
                            + Merkle.hex(newRoot)
                            + "): the log has forked.");
        }
        return new Verdict(
                false,
                "The proof does not link the root "
                        + Merkle.hex(oldRoot)
                        + " of the tree of "
                        + from
                        + " entries to the root "
                        + Merkle.hex(newRoot)
                        + " of the tree of "
                        + to
                        + " entries.");
    }
}
