package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.log.Checkpoint;
import dev.warden.log.Cosignature;
import dev.warden.log.Merkle;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;
import dev.warden.log.Proofs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The explorer's checks on the server, against a tree built here the naive way (RFC 9162 §2.1.1 MTH
 * by recursion): good proofs pass, and each kind of tampering is named.
 */
class LogChecksTest {

    static final String ORIGIN = "registry.test/-/log";

    /** Leaf hashes of n entries "entry 0" .. "entry n-1". */
    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Merkle.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static byte[] mth(List<byte[]> leaves, long start, long end) {
        if (end - start == 1) {
            return leaves.get((int) start);
        }
        long k = Long.highestOneBit(end - start - 1);
        return Merkle.nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end));
    }

    static Proofs.NodeReader reader(List<byte[]> leaves) {
        return (height, index) -> mth(leaves, index << height, (index + 1) << height);
    }

    @Test
    void anInclusionProofLeadsToTheRootAndTamperingIsNamed() {
        List<byte[]> leaves = leaves(13);
        byte[] root = mth(leaves, 0, 13);
        for (int i = 0; i < 13; i++) {
            List<byte[]> proof = Proofs.inclusion(reader(leaves), i, 13);
            LogChecks.Verdict v = LogChecks.inclusion(i, 13, leaves.get(i), proof, root);
            assertThat(v.ok()).as("entry %d", i).isTrue();
            assertThat(v.text()).startsWith("Entry " + i + " is in the tree of 13 entries");
        }
        List<byte[]> proof = Proofs.inclusion(reader(leaves), 5, 13);
        LogChecks.Verdict otherLeaf = LogChecks.inclusion(5, 13, leaves.get(6), proof, root);
        assertThat(otherLeaf.ok()).isFalse();
        assertThat(otherLeaf.text())
                .startsWith("The proof leads to the root ")
                .endsWith(", but the checkpoint's root is " + Merkle.hex(root) + ".");
        LogChecks.Verdict shortProof =
                LogChecks.inclusion(5, 13, leaves.get(5), proof.subList(0, 2), root);
        assertThat(shortProof.ok()).isFalse();
        assertThat(shortProof.text())
                .isEqualTo(
                        "The proof does not have the shape of a proof for entry 5 in a tree of 13"
                                + " entries (2 hashes).");
    }

    @Test
    void aConsistencyProofLinksBothRootsAndAForkIsNamed() {
        List<byte[]> leaves = leaves(21);
        for (int from = 1; from <= 21; from++) {
            List<byte[]> proof = Proofs.consistency(reader(leaves), from, 21);
            LogChecks.Verdict v =
                    LogChecks.consistency(
                            from, 21, mth(leaves, 0, from), mth(leaves, 0, 21), proof);
            assertThat(v.ok()).as("from %d", from).isTrue();
        }
        List<byte[]> proof = Proofs.consistency(reader(leaves), 6, 21);
        List<byte[]> forked = leaves(6);
        forked.set(2, Merkle.leafHash(new byte[] {1}));
        LogChecks.Verdict v =
                LogChecks.consistency(6, 21, mth(forked, 0, 6), mth(leaves, 0, 21), proof);
        assertThat(v.ok()).isFalse();
        assertThat(v.text())
                .isEqualTo(
                        "The proof does not link the root "
                                + Merkle.hex(mth(forked, 0, 6))
                                + " of the tree of 6 entries to the root "
                                + Merkle.hex(mth(leaves, 0, 21))
                                + " of the tree of 21 entries.");
        LogChecks.Verdict sameSize =
                LogChecks.consistency(6, 6, mth(forked, 0, 6), mth(leaves, 0, 6), List.of());
        assertThat(sameSize.text()).endsWith("the log has forked.");
    }

    @Test
    void everySignatureOfACheckpointIsNamedWithWhatWasFound() {
        NoteKey.Signer log = NoteKey.generate(ORIGIN, NoteKey.ED25519);
        NoteKey.Signer witness = NoteKey.generate("witness.test", NoteKey.COSIGNATURE_V1);
        NoteKey.Signer liar = NoteKey.generate("witness.liar", NoteKey.COSIGNATURE_V1);
        NoteKey.Signer stranger = NoteKey.generate("stranger.test", NoteKey.ED25519);
        String body = new Checkpoint(ORIGIN, 3, mth(leaves(3), 0, 3)).body();
        Note note =
                Note.sign(body, log)
                        .with(Cosignature.sign(witness, body, 1_700_000_000L))
                        // signed over another checkpoint: its line is this key's, but does not
                        // verify
                        .with(
                                Cosignature.sign(
                                        liar,
                                        new Checkpoint(ORIGIN, 2, new byte[32]).body(),
                                        1_700_000_001L))
                        .with(Note.sign(body, stranger).signatures().get(0));
        LogChecks.Signed s =
                LogChecks.signed(
                        note.format(),
                        log.verifier(),
                        List.of(witness.verifier(), liar.verifier()));
        assertThat(s.checkpoint().size()).isEqualTo(3);
        assertThat(s.signedByLog()).isTrue();
        assertThat(s.signatures())
                .containsExactly(
                        new LogChecks.SignatureCheck(
                                "log", ORIGIN, NoteKey.hexId(log.keyId()), -1, true),
                        new LogChecks.SignatureCheck(
                                "witness",
                                "witness.test",
                                NoteKey.hexId(witness.keyId()),
                                1_700_000_000L,
                                true),
                        new LogChecks.SignatureCheck(
                                "witness",
                                "witness.liar",
                                NoteKey.hexId(liar.keyId()),
                                1_700_000_001L,
                                false),
                        new LogChecks.SignatureCheck(
                                "unknown",
                                "stranger.test",
                                NoteKey.hexId(stranger.keyId()),
                                -1,
                                false));
    }

    @Test
    void aPastedCheckpointMustBeThisLogsSignedAndNoLargerThanIt() {
        NoteKey.Signer log = NoteKey.generate(ORIGIN, NoteKey.ED25519);
        String good = Note.sign(new Checkpoint(ORIGIN, 4, new byte[32]).body(), log).format();
        assertThat(
                        LogChecks.pasted(
                                        "  " + good.replace("\n", "\r\n") + "\r\n\r\n",
                                        log.verifier(),
                                        List.of(),
                                        ORIGIN,
                                        4)
                                .checkpoint()
                                .size())
                .isEqualTo(4);
        assertThatThrownBy(() -> LogChecks.pasted(good, log.verifier(), List.of(), ORIGIN, 3))
                .hasMessage(
                        "the checkpoint's size 4 is beyond this log's size 3: it is not a"
                                + " checkpoint this log has published");
        assertThatThrownBy(() -> LogChecks.pasted(good, log.verifier(), List.of(), "other/log", 9))
                .hasMessage(
                        "the checkpoint is of the log \""
                                + ORIGIN
                                + "\", not of this log (\"other/log\")");
        String empty = Note.sign(new Checkpoint(ORIGIN, 0, new byte[32]).body(), log).format();
        assertThatThrownBy(() -> LogChecks.pasted(empty, log.verifier(), List.of(), ORIGIN, 9))
                .hasMessage(
                        "the checkpoint is of the empty tree: every tree is consistent with it");
        String badRoot = good.replace("AAAA", "AAAB");
        assertThatThrownBy(() -> LogChecks.pasted(badRoot, log.verifier(), List.of(), ORIGIN, 9))
                .hasMessage("the checkpoint's signature by " + ORIGIN + " does not verify");
        assertThatThrownBy(
                        () ->
                                LogChecks.pasted(
                                        ORIGIN + "\n4\nnot base64\n\n— x AAAAAAA=\n",
                                        log.verifier(),
                                        List.of(),
                                        ORIGIN,
                                        9))
                .hasMessage("not a checkpoint: checkpoint root hash is not base64");
    }
}
