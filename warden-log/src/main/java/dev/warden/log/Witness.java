package dev.warden.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A C2SP tlog-witness: checks that each checkpoint a log submits is signed by the log and extends
 * the last one the witness saw (by a consistency proof), remembers it, and cosigns it
 * (tlog-cosignature/v1). A checkpoint that does not extend the last one is refused and reported.
 */
public final class Witness {

    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

    /** Largest add-checkpoint body, and most proof lines (a proof of a tree under 2^64 leaves). */
    public static final int MAX_BODY = 1 << 16;

    public static final int MAX_PROOF = 63;

    /** The witness's answer: an HTTP status, content type and body. */
    public record Answer(int status, String contentType, String body) {}

    private final NoteKey.Signer key;
    private final Map<String, List<NoteKey.Verifier>> logs;
    private final WitnessState state;
    private final Clock clock;

    /**
     * @param logs the logs this witness follows: origin to the keys that sign its checkpoints
     */
    public Witness(
            NoteKey.Signer key,
            Map<String, List<NoteKey.Verifier>> logs,
            WitnessState state,
            Clock clock) {
        if (key.verifier().type() != NoteKey.COSIGNATURE_V1) {
            throw new IllegalArgumentException("a witness key must be a cosignature/v1 key");
        }
        this.key = key;
        this.logs = Map.copyOf(logs);
        this.state = state;
        this.clock = clock;
    }

    public NoteKey.Verifier verifier() {
        return key.verifier();
    }

    /** Handles the body of {@code POST /add-checkpoint}. */
    public Answer addCheckpoint(byte[] body) {
        if (body.length > MAX_BODY) {
            return text(413, "request body is too large");
        }
        String s = new String(body, StandardCharsets.UTF_8);
        int blank = s.indexOf("\n\n");
        if (!s.startsWith("old ") || blank < 0) {
            return text(400, "expected \"old <size>\", proof lines, a blank line and a checkpoint");
        }
        String[] head = s.substring(0, blank).split("\n", -1);
        if (!head[0].matches("old (0|[1-9][0-9]{0,18})")) {
            return text(400, "malformed old size");
        }
        long oldSize;
        try {
            oldSize = Long.parseLong(head[0].substring(4));
        } catch (NumberFormatException e) {
            return text(400, "old size is out of range");
        }
        if (head.length - 1 > MAX_PROOF) {
            return text(400, "consistency proof has too many lines");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int i = 1; i < head.length; i++) {
            byte[] h;
            try {
                h = Base64.getDecoder().decode(head[i]);
            } catch (IllegalArgumentException e) {
                return text(400, "proof line " + i + " is not base64");
            }
            if (h.length != Merkle.HASH_SIZE) {
                return text(400, "proof line " + i + " is not a 32-byte hash");
            }
            proof.add(h);
        }
        String noteText = s.substring(blank + 2);
        Note note;
        Checkpoint cp;
        try {
            note = Note.parse(noteText);
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            return text(400, "malformed checkpoint: " + e.getMessage());
        }
        List<NoteKey.Verifier> keys = logs.get(cp.origin());
        if (keys == null) {
            return text(404, "unknown log origin");
        }
        try {
            if (note.verify(keys).isEmpty()) {
                return text(403, "checkpoint is not signed by a known key of " + cp.origin());
            }
        } catch (IllegalArgumentException e) {
            return text(403, e.getMessage());
        }
        if (cp.size() < oldSize) {
            return text(
                    400, "checkpoint size " + cp.size() + " is smaller than old size " + oldSize);
        }
        synchronized (this) {
            Optional<WitnessState.Latest> latest = state.latest(cp.origin());
            long held = latest.map(WitnessState.Latest::size).orElse(0L);
            if (held != oldSize) {
                return new Answer(409, "text/x.tlog.size", held + "\n");
            }
            String conflict = null;
            if (oldSize == 0) {
                if (!proof.isEmpty()) {
                    return text(422, "a consistency proof from size 0 must be empty");
                }
                if (cp.size() == 0 && !Merkle.same(cp.root(), Merkle.emptyRoot())) {
                    conflict = "a checkpoint of size 0 must have the empty tree's root";
                }
            } else if (cp.size() == held) {
                if (!Merkle.same(latest.get().root(), cp.root())) {
                    conflict = "two different checkpoints of size " + held;
                } else if (!proof.isEmpty()) {
                    return text(422, "a consistency proof between equal sizes must be empty");
                }
            } else if (!Merkle.verifyConsistency(
                    held, cp.size(), latest.get().root(), cp.root(), proof)) {
                conflict =
                        "the consistency proof from size "
                                + held
                                + " to "
                                + cp.size()
                                + " does not verify";
            }
            if (conflict != null) {
                LOG.error(
                        "log {} offered a checkpoint that does not extend the one witnessed: {}",
                        cp.origin(),
                        conflict);
                state.reportConflict(
                        cp.origin(),
                        latest.map(WitnessState.Latest::note).orElse(""),
                        noteText,
                        conflict);
                return text(422, conflict);
            }
            if (latest.isEmpty() || cp.size() > held) {
                state.store(cp.origin(), noteText);
            }
        }
        long now = clock.instant().getEpochSecond();
        return text(200, Cosignature.sign(key, note.text(), now).line());
    }

    private static Answer text(int status, String body) {
        return new Answer(
                status, "text/plain; charset=utf-8", body.endsWith("\n") ? body : body + "\n");
    }
}
