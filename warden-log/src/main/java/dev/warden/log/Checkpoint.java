package dev.warden.log;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-checkpoint body: origin, tree size and root hash, one per line, then optional
 * extension lines.
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {

    public Checkpoint {
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("checkpoint origin must be one non-empty line");
        }
        if (size < 0 || root.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("checkpoint needs a size and a 32-byte root hash");
        }
        root = root.clone();
        extensions = List.copyOf(extensions);
    }

    public Checkpoint(String origin, long size, byte[] root) {
        this(origin, size, root, List.of());
    }

    public String body() {
        StringBuilder b =
                new StringBuilder(origin)
                        .append('\n')
                        .append(size)
                        .append('\n')
                        .append(Base64.getEncoder().encodeToString(root))
                        .append('\n');
        extensions.forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }

    /** Parses a checkpoint body (the text of its signed note). */
    public static Checkpoint parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("checkpoint must end in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("checkpoint needs origin, size and root hash lines");
        }
        if (lines[0].isEmpty()) {
            throw new IllegalArgumentException("checkpoint origin is empty");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("checkpoint size is not a decimal number");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint size is out of range");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint root hash is not base64");
        }
        if (root.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("checkpoint root hash must be 32 bytes");
        }
        List<String> ext = new ArrayList<>();
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new IllegalArgumentException("checkpoint has an empty line");
            }
            ext.add(lines[i]);
        }
        return new Checkpoint(lines[0], size, root, ext);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.body().equals(body());
    }

    @Override
    public int hashCode() {
        return body().hashCode();
    }

    @Override
    public String toString() {
        return origin + " @" + size + " " + Merkle.hex(root);
    }
}
