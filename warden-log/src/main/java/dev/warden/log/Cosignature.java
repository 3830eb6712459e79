package dev.warden.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * C2SP tlog-cosignature/v1: a witness's Ed25519 signature over {@code "cosignature/v1\ntime
 * <seconds>\n" || checkpoint body}, carried in a signed-note line as {@code key ID || timestamp
 * (uint64, big-endian) || signature}.
 */
public final class Cosignature {

    private Cosignature() {}

    static byte[] message(String checkpointBody, long time) {
        return ("cosignature/v1\ntime " + time + "\n" + checkpointBody)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A cosignature line for {@code checkpointBody}, made at {@code time} (Unix seconds). */
    public static Note.Signature sign(NoteKey.Signer witness, String checkpointBody, long time) {
        if (witness.verifier().type() != NoteKey.COSIGNATURE_V1) {
            throw new IllegalArgumentException("a cosignature needs a cosignature/v1 key");
        }
        byte[] sig = witness.sign(message(checkpointBody, time));
        return new Note.Signature(
                witness.name(),
                witness.keyId(),
                ByteBuffer.allocate(72).putLong(time).put(sig).array());
    }

    /** The time of a valid cosignature by {@code witness} on {@code checkpointBody}, or -1. */
    public static long verify(NoteKey.Verifier witness, String checkpointBody, Note.Signature s) {
        if (witness.type() != NoteKey.COSIGNATURE_V1
                || !witness.name().equals(s.name())
                || witness.keyId() != s.keyId()
                || s.bytes().length != 72) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(s.bytes());
        long time = b.getLong();
        byte[] sig = new byte[64];
        b.get(sig);
        return time >= 0 && witness.verify(message(checkpointBody, time), sig) ? time : -1;
    }
}
