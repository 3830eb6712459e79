package dev.warden.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.BlobStore;
import dev.warden.storage.Packages.PackageRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * What only the embedded driver promises (the contract is {@link SqliteMetadataStoreContractTest}):
 * its database file survives reopening, and its blob directory's layout.
 */
class EmbeddedStoreTest {

    private static PackageRecord pkg(String name) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new PackageRecord(name, now, now, 1, "public", null);
    }

    @Test
    void committedWritesSurviveReopening(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            store.write(
                    tx -> {
                        tx.packages().insert(pkg("kept"));
                        tx.maintainers().add("kept", "alice", java.time.Instant.EPOCH);
                        tx.maintainers().add("kept", "bob", java.time.Instant.EPOCH);
                        tx.maintainers().add("kept", "alice", java.time.Instant.EPOCH);
                        return null;
                    });
        }
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            java.util.Optional<PackageRecord> found = store.read(tx -> tx.packages().find("kept"));
            List<String> maintainers = store.read(tx -> tx.maintainers().of("kept"));
            assertThat(found).isPresent();
            assertThat(maintainers).containsExactly("alice", "bob");
        }
    }

    @Test
    void blobsAreContentAddressedAndWhole(@TempDir Path dir) throws Exception {
        FileBlobStore blobs = new FileBlobStore(dir);
        byte[] data = "tarball bytes".getBytes();
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
        blobs.put(key, data);
        blobs.put(key, data);
        BlobStore.Blob blob = blobs.get(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(data.length);
        try (var in = blob.open()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(Files.list(dir.resolve("tmp"))).isEmpty();
        assertThat(blobs.get("0".repeat(128))).isEmpty();
        assertThatThrownBy(() -> blobs.get("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blobsOfTheTwoLevelLayoutAreStillReadAndNotWrittenTwice(@TempDir Path dir)
            throws Exception {
        byte[] data = "an older tarball".getBytes();
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
        Path legacy = dir.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
        Files.createDirectories(legacy.getParent());
        Files.write(legacy, data);

        FileBlobStore blobs = new FileBlobStore(dir);
        try (var in = blobs.get(key).orElseThrow().open()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        blobs.put(key, data);
        assertThat(dir.resolve(key.substring(0, 2)).resolve(key)).doesNotExist();

        byte[] fresh = "a new tarball".getBytes();
        String freshKey =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(fresh));
        blobs.put(freshKey, fresh);
        assertThat(dir.resolve(freshKey.substring(0, 2)).resolve(freshKey)).hasBinaryContent(fresh);
    }
}
