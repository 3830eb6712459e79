package dev.warden.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Note keys kept in files, one private key string per file, readable by the owner only. This is
 * the file-based key store; an HSM or KMS would implement signing behind {@link NoteKey.Signer}'s
 * interface instead of handing out the seed.
 */
public final class KeyFiles {

    private KeyFiles() {}

    /** The key in {@code file}, created with {@code name} and {@code type} when the file does not exist. */
    public static NoteKey.Signer loadOrCreate(Path file, String name, byte type) {
        try {
            if (Files.exists(file)) {
                return NoteKey.parseSigner(Files.readString(file, StandardCharsets.UTF_8));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            NoteKey.Signer key = NoteKey.generate(name, type);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, key.encode() + "\n", StandardCharsets.UTF_8);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(file.toAbsolutePath().getParent(), java.nio.file.StandardOpenOption.READ)) {
                dir.force(true);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("key file " + file, e);
        }
    }
}
