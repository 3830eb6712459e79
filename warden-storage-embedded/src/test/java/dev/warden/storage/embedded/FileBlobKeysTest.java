package dev.warden.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.BlobStore;
import dev.warden.storage.tests.BlobStoreContract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Every blob of a directory is listed once, in either layout, and nothing else is. */
class FileBlobKeysTest {

    @TempDir Path dir;

    @Test
    void theKeysAreTheBlobsOfBothLayoutsAndNothingElse() throws Exception {
        Path root = dir.resolve("blobs");
        BlobStore blobs = EmbeddedStorage.blobs(root);
        byte[] a = BlobStoreContract.randomBytes(10);
        byte[] b = BlobStoreContract.randomBytes(20);
        blobs.put(BlobStoreContract.sha512Hex(a), a);
        blobs.put(BlobStoreContract.sha512Hex(b), b);
        // a blob where the earlier two-level layout put it
        String old = BlobStoreContract.sha512Hex(BlobStoreContract.randomBytes(5));
        Path legacy = root.resolve(old.substring(0, 2)).resolve(old.substring(2, 4));
        Files.createDirectories(legacy);
        Files.write(legacy.resolve(old), new byte[] {1});
        // a write that never finished, and a stray file
        Files.write(
                root.resolve("tmp").resolve(BlobStoreContract.sha512Hex(new byte[] {9})),
                new byte[] {9});
        Files.write(root.resolve("ab").resolve("notes.txt"), new byte[] {1});

        try (Stream<String> keys = EmbeddedStorage.blobKeys(root)) {
            assertThat(keys.toList())
                    .containsExactlyInAnyOrder(
                            BlobStoreContract.sha512Hex(a), BlobStoreContract.sha512Hex(b), old);
        }
    }

    @Test
    void aMissingDirectoryHasNoKeys() throws Exception {
        try (Stream<String> keys = EmbeddedStorage.blobKeys(dir.resolve("none"))) {
            assertThat(keys).isEmpty();
        }
    }
}
