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

class EmbeddedStoreTest {

    private static PackageRecord pkg(String name) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new PackageRecord(name, now, now, 1, "public", null);
    }

    @Test
    void aFailedWriteChangesNothing(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            assertThatThrownBy(
                            () ->
                                    store.write(
                                            tx -> {
                                                tx.packages().insert(pkg("half"));
                                                tx.tags().put("half", "latest", "1.0.0");
                                                throw new IllegalStateException("boom");
                                            }))
                    .hasMessage("boom");
            java.util.Optional<PackageRecord> found = store.read(tx -> tx.packages().find("half"));
            java.util.Map<String, String> tags = store.read(tx -> tx.tags().of("half"));
            assertThat(found).isEmpty();
            assertThat(tags).isEmpty();
        }
    }

    @Test
    void newFilesCountOtherPackagesWithinTheWindowOnceEach(@TempDir Path dir) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            store.write(
                    tx -> {
                        tx.reviewFacts().recordNewFiles("worm-a", "1.0.1", List.of("aa", "bb"), t0);
                        tx.reviewFacts()
                                .recordNewFiles("worm-a", "1.0.1", List.of("aa"), t0); // again
                        tx.reviewFacts()
                                .recordNewFiles(
                                        "worm-b", "2.0.1", List.of("aa"), t0.plusSeconds(3600));
                        tx.reviewFacts()
                                .recordNewFiles(
                                        "old", "1.0.0", List.of("aa"), t0.minusSeconds(86_400));
                        return null;
                    });
            int aroundC =
                    store.read(tx -> tx.reviewFacts().otherPackagesWithNewFile("aa", "worm-c", t0));
            int aroundA =
                    store.read(tx -> tx.reviewFacts().otherPackagesWithNewFile("aa", "worm-a", t0));
            int other =
                    store.read(tx -> tx.reviewFacts().otherPackagesWithNewFile("bb", "worm-a", t0));
            assertThat(aroundC)
                    .as("worm-a and worm-b within the window; old is before it")
                    .isEqualTo(2);
            assertThat(aroundA).as("the package itself does not count").isEqualTo(1);
            assertThat(other).isZero();
        }
    }

    @Test
    void aReleaseSummaryIsKeptPerVersionAndASecondReplacesTheFirst(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            store.write(
                    tx -> {
                        tx.reviewFacts().recordSummary("left-pad", "1.0.0", new byte[] {1, 2});
                        tx.reviewFacts().recordSummary("left-pad", "1.0.0", new byte[] {3});
                        tx.reviewFacts().recordSummary("left-pad", "1.0.1", new byte[] {4});
                        return null;
                    });
            byte[] first = store.read(tx -> tx.reviewFacts().summary("left-pad", "1.0.0"));
            byte[] second = store.read(tx -> tx.reviewFacts().summary("left-pad", "1.0.1"));
            byte[] none = store.read(tx -> tx.reviewFacts().summary("left-pad", "0.9.0"));
            assertThat(first).containsExactly(3);
            assertThat(second).containsExactly(4);
            assertThat(none).as("a release published before summaries were kept").isNull();
        }
    }

    @Test
    void theMostDependedUponAndDownloadedNamesComeAboveTheirThresholds(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            store.write(
                    tx -> {
                        tx.dependencies().put("a", "1.0.0", List.of("core", "util"));
                        tx.dependencies().put("a", "1.1.0", List.of("core"));
                        tx.dependencies().put("b", "1.0.0", List.of("core", "util"));
                        tx.dependencies().put("c", "1.0.0", List.of("core"));
                        tx.dependencies().put("core", "1.0.0", List.of("core"));
                        tx.downloads()
                                .add(
                                        java.time.LocalDate.parse("2026-01-01"),
                                        java.util.Map.of("old", 500L, "hot", 20L));
                        tx.downloads()
                                .add(
                                        java.time.LocalDate.parse("2026-01-08"),
                                        java.util.Map.of("hot", 90L, "warm", 40L));
                        return null;
                    });
            // a version of its own and a second version of one dependent do not count twice
            List<String> twoOrMore = store.read(tx -> tx.dependencies().dependedUpon(2, 10));
            List<String> threeOrMore = store.read(tx -> tx.dependencies().dependedUpon(3, 10));
            List<String> first = store.read(tx -> tx.dependencies().dependedUpon(1, 1));
            java.time.LocalDate from = java.time.LocalDate.parse("2026-01-02");
            List<String> downloaded =
                    store.read(tx -> tx.downloads().downloadedAtLeast(from, 40, 10));
            assertThat(twoOrMore).containsExactly("core", "util");
            assertThat(threeOrMore).containsExactly("core");
            assertThat(first).containsExactly("core");
            assertThat(downloaded).containsExactly("hot", "warm");
        }
    }

    @Test
    void aClientIsSeenOnlyInTheAccountsOwnEventsOfThatKind(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            java.time.Instant at = java.time.Instant.parse("2026-12-01T00:00:00Z");
            store.write(
                    tx -> {
                        tx.securityEvents()
                                .append(
                                        "alice",
                                        "package.published",
                                        at,
                                        null,
                                        "{\"client\":\"npm/11.6.0\"}");
                        tx.securityEvents()
                                .append(
                                        "alice",
                                        "token.created",
                                        at,
                                        null,
                                        "{\"client\":\"curl/8\"}");
                        tx.securityEvents()
                                .append("alice", "package.published", at, null, "not json");
                        return null;
                    });
            store.read(
                    tx -> {
                        assertThat(
                                        tx.securityEvents()
                                                .seenClient(
                                                        "alice", "package.published", "npm/11.6.0"))
                                .isTrue();
                        assertThat(
                                        tx.securityEvents()
                                                .seenClient("alice", "package.published", "curl/8"))
                                .as("only events of that kind count")
                                .isFalse();
                        assertThat(
                                        tx.securityEvents()
                                                .seenClient(
                                                        "bob", "package.published", "npm/11.6.0"))
                                .as("only the account's own events count")
                                .isFalse();
                        return null;
                    });
        }
    }

    @Test
    void anAddressIsSeenOnlyInTheAccountsOwnEventsOfThatKind(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            java.time.Instant at = java.time.Instant.parse("2026-12-01T00:00:00Z");
            store.write(
                    tx -> {
                        for (int i = 0; i < 3; i++) {
                            tx.securityEvents()
                                    .append("alice", "package.published", at, "192.0.2.1", "{}");
                        }
                        tx.securityEvents()
                                .append("alice", "token.created", at, "198.51.100.7", "{}");
                        return null;
                    });
            store.read(
                    tx -> {
                        assertThat(
                                        tx.securityEvents()
                                                .seen("alice", "package.published", "192.0.2.1"))
                                .as("seen in several events")
                                .isTrue();
                        assertThat(
                                        tx.securityEvents()
                                                .seen("alice", "package.published", "198.51.100.7"))
                                .as("only events of that kind count")
                                .isFalse();
                        assertThat(
                                        tx.securityEvents()
                                                .seen("bob", "package.published", "192.0.2.1"))
                                .as("only the account's own events count")
                                .isFalse();
                        return null;
                    });
        }
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
    void searchTermsAreLiteral(@TempDir Path dir) {
        try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("w.db"))) {
            store.write(
                    tx -> {
                        tx.search().put("a_b", "a_b 100% sure", "{}");
                        tx.search().put("axb", "axb 100x sure", "{}");
                        return null;
                    });
            assertThat(names(store, "a_b")).containsExactly("a_b");
            assertThat(names(store, "100%")).containsExactly("a_b");
            assertThat(names(store, "SURE", "axb")).containsExactly("axb");
        }
    }

    private static List<String> names(SqliteMetadataStore store, String... terms) {
        List<dev.warden.storage.Search.Hit> hits =
                store.read(tx -> tx.search().find(List.of(terms), 10));
        return hits.stream().map(dev.warden.storage.Search.Hit::name).toList();
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
