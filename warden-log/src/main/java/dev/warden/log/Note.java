package dev.warden.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * A C2SP signed note: UTF-8 text ending in a newline, a blank line, then one signature line per
 * signer, {@code — <key name> <base64(key ID || signature)>}.
 *
 * @param text the signed text, ending in a newline
 * @param signatures the signature lines, in order
 */
public record Note(String text, List<Signature> signatures) {

    /** One signature line. */
    public record Signature(String name, int keyId, byte[] bytes) {
        public String line() {
            byte[] b = ByteBuffer.allocate(4 + bytes.length).putInt(keyId).put(bytes).array();
            return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(b) + "\n";
        }
    }

    /** Largest note accepted, in bytes, and most signature lines (as Go's note package). */
    public static final int MAX_SIZE = 1 << 16;

    public static final int MAX_SIGNATURES = 100;

    public Note {
        signatures = List.copyOf(signatures);
    }

    public String format() {
        StringBuilder b = new StringBuilder(text).append('\n');
        signatures.forEach(s -> b.append(s.line()));
        return b.toString();
    }

    /** Signs {@code text} with Ed25519 note keys. */
    public static Note sign(String text, NoteKey.Signer... signers) {
        checkText(text);
        List<Signature> sigs = new ArrayList<>();
        for (NoteKey.Signer s : signers) {
            sigs.add(
                    new Signature(
                            s.name(), s.keyId(), s.sign(text.getBytes(StandardCharsets.UTF_8))));
        }
        return new Note(text, sigs);
    }

    public Note with(Signature extra) {
        List<Signature> sigs = new ArrayList<>(signatures);
        sigs.add(extra);
        return new Note(text, sigs);
    }

    /**
     * Parses a signed note; throws {@link IllegalArgumentException} with the reason when it is
     * malformed.
     */
    public static Note parse(String note) {
        if (note.length() > MAX_SIZE) {
            throw new IllegalArgumentException("note is too large");
        }
        if (note.indexOf('\r') >= 0 || note.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new IllegalArgumentException("note contains control characters");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new IllegalArgumentException("note has no signature block");
        }
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        List<Signature> sigs = new ArrayList<>();
        for (String line : block.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("\u2014 ")) {
                throw new IllegalArgumentException("malformed signature line");
            }
            String[] parts = line.substring(2).split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("malformed signature line");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signature is not valid base64");
            }
            if (raw.length < 5) {
                throw new IllegalArgumentException("signature is too short");
            }
            ByteBuffer b = ByteBuffer.wrap(raw);
            int id = b.getInt();
            byte[] sig = new byte[raw.length - 4];
            b.get(sig);
            sigs.add(new Signature(parts[0], id, sig));
            if (sigs.size() > MAX_SIGNATURES) {
                throw new IllegalArgumentException("note has too many signatures");
            }
        }
        if (sigs.isEmpty()) {
            throw new IllegalArgumentException("note has no signatures");
        }
        return new Note(text, sigs);
    }

    /**
     * The signature lines from known Ed25519 keys that verify; a line that claims a known key but
     * does not verify is an error, lines of unknown keys are ignored.
     */
    public List<NoteKey.Verifier> verify(Collection<NoteKey.Verifier> keys) {
        List<NoteKey.Verifier> ok = new ArrayList<>();
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        for (Signature s : signatures) {
            for (NoteKey.Verifier k : keys) {
                if (k.type() == NoteKey.ED25519
                        && k.name().equals(s.name())
                        && k.keyId() == s.keyId()) {
                    if (!k.verify(msg, s.bytes())) {
                        throw new IllegalArgumentException(
                                "signature by " + k.name() + " does not verify");
                    }
                    ok.add(k);
                }
            }
        }
        return ok;
    }

    static void checkText(String text) {
        if (!text.endsWith("\n") || text.contains("\n\n") || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    "note text must end in one newline and have no blank lines");
        }
    }
}
