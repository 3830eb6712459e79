package dev.warden.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Note keys kept in files, one private key string per file, readable by the owner only. This is the
 * file-based key store; an HSM or KMS would implement signing behind {@link NoteKey.Signer}'s
 * interface instead of handing out the seed.
 */
public final class KeyFiles {

    private KeyFiles() {}

    /**
     * The key in {@code file}, created with {@code name} and {@code type} when the file does not
     * exist.
     */
    public static NoteKey.Signer loadOrCreate(Path file, String name, byte type) {
        try {
            if (Files.exists(file)) {
                return NoteKey.parseSigner(Files.readString(file, StandardCharsets.UTF_8));
            }
            NoteKey.Signer key = NoteKey.generate(name, type);
            write(file, (key.encode() + "\n").getBytes(StandardCharsets.UTF_8), true);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("key file " + file, e);
        }
    }

    /**
     * Replaces {@code file} with {@code bytes} so that a crash leaves the old or the new content,
     * never a torn one, and the new content survives once this returns: written beside it, forced
     * to disk, renamed over it, and the directory forced. {@code ownerOnly} files (keys) are
     * created readable by their owner alone.
     */
    public static void write(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (ownerOnly) {
            try {
                Files.createFile(
                        tmp,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
        }
        Files.write(tmp, bytes);
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel d =
                java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
