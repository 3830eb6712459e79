package dev.warden.storage.embedded;

import dev.warden.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files named by their sha512 under {@code root/ab/<hex>}, in one of 256 directories made
 * when the store opens; blobs an earlier layout put under {@code root/ab/cd/<hex>} are still read
 * there.
 *
 * <p>A put writes a temporary file, forces it to disk, renames it into place atomically and forces
 * the directory, so a blob either exists whole or not at all, whatever moment the process dies.
 * With the directories made in advance that is two forces per new blob, whatever the store's size.
 */
final class FileBlobStore implements BlobStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{128}");

    private final Path root;
    private final Path tmp;

    FileBlobStore(Path root) throws IOException {
        this.root = root;
        this.tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        boolean made = false;
        for (int i = 0; i < 256; i++) {
            Path shard = root.resolve(String.format("%02x", i));
            if (!Files.isDirectory(shard)) {
                Files.createDirectories(shard);
                made = true;
            }
        }
        if (made) {
            forceDirectory(root);
        }
    }

    private Path pathOf(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a sha512 hex key");
        }
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    /** Where the two-level layout kept the blob. */
    private Path legacyPathOf(String key) {
        return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
    }

    /** The blob's file, in the current layout or the earlier one; null when there is none. */
    private Path existing(String key) {
        Path path = pathOf(key);
        if (Files.isRegularFile(path)) {
            return path;
        }
        Path legacy = legacyPathOf(key);
        return Files.isRegularFile(legacy) ? legacy : null;
    }

    @Override
    public void put(String sha512Hex, byte[] data) throws IOException {
        Path target = pathOf(sha512Hex);
        Path dir = target.getParent();
        Path found = existing(sha512Hex);
        if (found != null) {
            // another writer may have renamed it in but not yet forced the directory
            forceDirectory(found.getParent());
            return;
        }
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        try (FileChannel ch =
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems do not allow opening a directory; the rename is still atomic there.
        }
    }

    /**
     * The keys of every blob under {@code root}, in both layouts (for {@code warden storage copy});
     * the stream holds directories open until closed.
     */
    static Stream<String> keys(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        return Files.find(
                        root,
                        3,
                        (path, attrs) ->
                                attrs.isRegularFile()
                                        && KEY.matcher(path.getFileName().toString()).matches()
                                        && !path.getParent().equals(root.resolve("tmp")))
                .map(path -> path.getFileName().toString());
    }

    @Override
    public Optional<Blob> get(String sha512Hex) throws IOException {
        Path path = existing(sha512Hex);
        if (path == null) {
            return Optional.empty();
        }
        long size = Files.size(path);
        return Optional.of(
                new Blob() {
                    @Override
                    public long size() {
                        return size;
                    }

                    @Override
                    public InputStream open() throws IOException {
                        return Files.newInputStream(path);
                    }

                    @Override
                    public Optional<Path> localPath() {
                        return Optional.of(path);
                    }
                });
    }
}
