package dev.warden.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What a witness remembers of each log: the last checkpoint it cosigned. Kept in one file per log,
 * replaced atomically (write, fsync, rename, fsync of the directory), so the witness never forgets
 * a checkpoint it has cosigned, even after kill -9. Conflicting checkpoints it refused are appended
 * to {@code conflicts.log} as evidence.
 */
public final class WitnessState {

    /** The latest checkpoint seen for a log. */
    public record Latest(long size, byte[] root, String note) {}

    private final Path dir;
    private final java.time.Clock clock;

    public WitnessState(Path dir, java.time.Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating witness state directory", e);
        }
    }

    private Path file(String origin) {
        return dir.resolve(
                Merkle.hex(Merkle.sha256(origin.getBytes(StandardCharsets.UTF_8))).substring(0, 32)
                        + ".checkpoint");
    }

    public synchronized Optional<Latest> latest(String origin) {
        Path f = file(origin);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            String note = Files.readString(f, StandardCharsets.UTF_8);
            Checkpoint c = Checkpoint.parse(Note.parse(note).text());
            return Optional.of(new Latest(c.size(), c.root(), note));
        } catch (IOException e) {
            throw new UncheckedIOException("reading witness state", e);
        }
    }

    /** Durably records {@code note} as the latest checkpoint of {@code origin}. */
    public synchronized void store(String origin, String note) {
        Path f = file(origin);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try {
            try (FileChannel ch =
                    FileChannel.open(
                            tmp,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing witness state", e);
        }
    }

    /** Appends evidence of a checkpoint that does not extend the one the witness holds. */
    public synchronized void reportConflict(
            String origin, String held, String offered, String reason) {
        String record =
                "=== "
                        + clock.instant()
                        + " "
                        + origin
                        + ": "
                        + reason
                        + "\n--- held\n"
                        + held
                        + "--- offered\n"
                        + offered
                        + "\n";
        try {
            Files.writeString(
                    dir.resolve("conflicts.log"),
                    record,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing witness conflict report", e);
        }
    }

    public Path conflicts() {
        return dir.resolve("conflicts.log");
    }
}
