package dev.warden.provenance.sigstore;

import dev.sigstore.proto.rekor.v1.TransparencyLogEntry;
import dev.warden.log.Checkpoint;
import dev.warden.log.Merkle;
import dev.warden.log.Note;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A bundle's transparency-log entries: each from a log of the trusted root, recording exactly this
 * signature, with a valid signed entry timestamp and/or an inclusion proof up to a checkpoint that
 * log signed.
 */
final class TlogEntries {

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private TlogEntries() {}

    /**
     * Checks one log entry; answers its integrated time when a signed entry timestamp vouches for
     * it.
     */
    static Instant verify(
            TransparencyLogEntry e,
            int version,
            LogEntryBody.Signed signed,
            TrustRoot root,
            Clock clock) {
        byte[] logId = e.getLogId().getKeyId().toByteArray();
        TrustRoot.Log log =
                root.tlogs().stream()
                        .filter(l -> l.hasLogId(logId))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new VerificationFailure(
                                                "log entry "
                                                        + e.getLogIndex()
                                                        + " is from a transparency log the trusted"
                                                        + " root does not list"));
        byte[] body = e.getCanonicalizedBody().toByteArray();
        LogEntryBody.check(
                e.getKindVersion().getKind(), e.getKindVersion().getVersion(), body, signed);

        Instant integrated = null;
        if (e.hasInclusionPromise()) {
            String payload =
                    "{\"body\":\""
                            + java.util.Base64.getEncoder().encodeToString(body)
                            + "\",\"integratedTime\":"
                            + e.getIntegratedTime()
                            + ",\"logID\":\""
                            + HexFormat.of().formatHex(logId)
                            + "\",\"logIndex\":"
                            + e.getLogIndex()
                            + "}";
            if (!Crypto.verify(
                    log.key(),
                    payload.getBytes(StandardCharsets.UTF_8),
                    e.getInclusionPromise().getSignedEntryTimestamp().toByteArray())) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + ": signed entry timestamp does not verify with the log's key");
            }
            integrated = Instant.ofEpochSecond(e.getIntegratedTime());
            if (integrated.isAfter(clock.instant().plus(CLOCK_SKEW))) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + ": integrated time "
                                + integrated
                                + " is in the future");
            }
            if (!log.validFor().contains(integrated)) {
                throw new VerificationFailure(
                        "log entry "
                                + e.getLogIndex()
                                + ": integrated time "
                                + integrated
                                + " is outside the trusted root's window for "
                                + log.baseUrl());
            }
        }
        if (e.hasInclusionProof()) {
            inclusion(e, log, body, version);
        }
        return integrated;
    }

    private static void inclusion(
            TransparencyLogEntry e, TrustRoot.Log log, byte[] body, int version) {
        var p = e.getInclusionProof();
        List<byte[]> hashes = new ArrayList<>();
        p.getHashesList().forEach(h -> hashes.add(h.toByteArray()));
        if (p.getLogIndex() < 0
                || p.getTreeSize() <= p.getLogIndex()
                || hashes.stream().anyMatch(h -> h.length != Merkle.HASH_SIZE)) {
            throw new VerificationFailure(
                    "log entry " + e.getLogIndex() + ": inclusion proof is malformed");
        }
        byte[] computed;
        try {
            computed =
                    Merkle.rootFromInclusion(
                            p.getLogIndex(), p.getTreeSize(), Merkle.leafHash(body), hashes);
        } catch (IllegalArgumentException ex) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": inclusion proof is malformed: "
                            + ex.getMessage());
        }
        if (!Arrays.equals(computed, p.getRootHash().toByteArray())) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": inclusion proof does not lead to its root hash");
        }
        if (!p.hasCheckpoint()) {
            return;
        }
        Note note;
        Checkpoint cp;
        try {
            note = Note.parse(p.getCheckpoint().getEnvelope());
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException ex) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": checkpoint is malformed: "
                            + ex.getMessage());
        }
        if (cp.size() != p.getTreeSize() || !Arrays.equals(cp.root(), computed)) {
            throw new VerificationFailure(
                    "log entry "
                            + e.getLogIndex()
                            + ": inclusion proof does not match the checkpoint (size "
                            + p.getTreeSize()
                            + " vs "
                            + cp.size()
                            + ")");
        }
        checkpointSignature(e, log, note);
    }

    /**
     * A checkpoint counts when a signature line with the log's key ID (and, for Ed25519 keys, its
     * name) verifies.
     */
    private static void checkpointSignature(TransparencyLogEntry e, TrustRoot.Log log, Note note) {
        int keyId = java.nio.ByteBuffer.wrap(log.checkpointKeyId()).getInt();
        boolean nameBound = !(log.key() instanceof java.security.interfaces.ECPublicKey);
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        boolean claimed = false;
        for (Note.Signature s : note.signatures()) {
            if (s.keyId() != keyId || (nameBound && !s.name().equals(log.origin()))) {
                continue;
            }
            claimed = true;
            if (Crypto.verify(log.key(), text, s.bytes())) {
                return;
            }
        }
        throw new VerificationFailure(
                "log entry "
                        + e.getLogIndex()
                        + ": checkpoint "
                        + (claimed
                                ? "signature does not verify with the key of "
                                : "has no signature from ")
                        + log.baseUrl());
    }
}
