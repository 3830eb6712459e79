package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Packuments.PackumentRecord;
import dev.warden.storage.Provenances.ProvenanceRecord;
import dev.warden.storage.RegistryEvents.EventRecord;
import dev.warden.storage.Search.Hit;
import dev.warden.storage.Versions.VersionRecord;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's views (packages, versions, tags, maintainers, stars, packuments, search,
 * dependencies, downloads, scopes, registry events, provenance, review facts), method by method.
 */
public interface RegistryViewsContract extends StoreAccess {

    Instant R0 = Instant.parse("2026-02-01T08:00:00.125Z");

    private static PackageRecord pkg(String name) {
        return new PackageRecord(name, R0, R0, 1, "public", null);
    }

    private static VersionRecord version(String name, String version, String blob) {
        return new VersionRecord(
                name,
                version,
                "{\"name\":\"" + name + "\"}",
                "sha512-" + version,
                "sha1-" + version,
                blob,
                5_000_000_000L, // past 32 bits
                3,
                12_345,
                R0,
                "alice",
                null,
                null,
                null);
    }

    @Test
    default void aPackageIsFoundAsInsertedAndUpdatedInPlace() {
        write(tx -> tx.packages().insert(pkg("left-pad")));
        PackageRecord inserted = read(tx -> tx.packages().find("left-pad")).orElseThrow();
        PackageRecord changed =
                inserted.touched(R0.plusSeconds(60))
                        .withAccess("restricted")
                        .withUnpublished(R0.plusSeconds(90));
        write(tx -> tx.packages().update(changed));
        Optional<PackageRecord> updated = read(tx -> tx.packages().find("left-pad"));
        Optional<PackageRecord> missing = read(tx -> tx.packages().find("right-pad"));
        assertThat(inserted).isEqualTo(pkg("left-pad"));
        assertThat(updated).contains(changed);
        assertThat(updated.orElseThrow().rev()).isEqualTo(2);
        assertThat(missing).isEmpty();
    }

    @Test
    default void namesListLivePackagesAndAScopeMatchesLiterallyIgnoringAsciiCase() {
        write(
                tx -> {
                    for (String n :
                            List.of(
                                    "b",
                                    "a",
                                    "@acme/x",
                                    "@Acme/Old",
                                    "@acmex/y",
                                    "acme-z",
                                    "@a_b/c")) {
                        tx.packages().insert(pkg(n));
                    }
                    tx.packages().insert(pkg("gone").withUnpublished(R0));
                    tx.packages().insert(pkg("@acme/gone").withUnpublished(R0));
                });
        List<String> all = read(tx -> tx.packages().names(null));
        List<String> acme = read(tx -> tx.packages().names("@acme"));
        List<String> underscore = read(tx -> tx.packages().names("@a_b"));
        List<String> wildcard = read(tx -> tx.packages().names("@a%"));
        assertThat(all)
                .as("byte order, as SQLite's BINARY collation")
                .containsExactly("@Acme/Old", "@a_b/c", "@acme/x", "@acmex/y", "a", "acme-z", "b");
        assertThat(acme).containsExactly("@Acme/Old", "@acme/x");
        assertThat(underscore).containsExactly("@a_b/c");
        assertThat(wildcard).as("% is literal in a scope").isEmpty();
    }

    @Test
    default void versionsKeepTheirOrderAndLargeNumbersAndTheirMarks() {
        write(
                tx -> {
                    tx.versions().insert(version("p", "2.0.0", "b2"));
                    tx.versions().insert(version("p", "1.0.0", "b1"));
                    tx.versions().insert(version("q", "1.0.0", "b1"));
                    tx.versions().setDeprecated("p", "1.0.0", "use 2");
                    tx.versions().setUnpublished("q", "1.0.0", R0.plusSeconds(1));
                });
        List<VersionRecord> all = read(tx -> tx.versions().all("p"));
        VersionRecord q = read(tx -> tx.versions().find("q", "1.0.0")).orElseThrow();
        assertThat(all).extracting(VersionRecord::version).containsExactly("2.0.0", "1.0.0");
        assertThat(all.get(0)).isEqualTo(version("p", "2.0.0", "b2"));
        assertThat(all.get(1).deprecated()).isEqualTo("use 2");
        assertThat(q.unpublished()).isEqualTo(R0.plusSeconds(1));
        assertThat(q.live()).isFalse();
        assertThat(readOptional(tx -> tx.versions().find("p", "3.0.0"))).isEmpty();
    }

    @Test
    default void aBlobIsReferencedWhileALiveVersionNamesIt() {
        write(
                tx -> {
                    tx.versions().insert(version("p", "1.0.0", "shared"));
                    tx.versions().insert(version("q", "1.0.0", "shared"));
                    tx.versions().insert(version("r", "1.0.0", "own"));
                    tx.versions().setUnpublished("q", "1.0.0", R0);
                    tx.versions().setUnpublished("r", "1.0.0", R0);
                });
        boolean shared = read(tx -> tx.versions().blobReferenced("shared"));
        boolean own = read(tx -> tx.versions().blobReferenced("own"));
        boolean none = read(tx -> tx.versions().blobReferenced("none"));
        assertThat(shared).isTrue();
        assertThat(own).isFalse();
        assertThat(none).isFalse();
    }

    @Test
    default void distTagsArePutReplacedAndRemoved() {
        write(
                tx -> {
                    tx.tags().put("p", "latest", "1.0.0");
                    tx.tags().put("p", "beta", "2.0.0-b");
                    tx.tags().put("p", "latest", "1.1.0");
                    tx.tags().put("q", "latest", "9.0.0");
                });
        Map<String, String> both = read(tx -> tx.tags().of("p"));
        write(tx -> tx.tags().remove("p", "beta"));
        Map<String, String> one = read(tx -> tx.tags().of("p"));
        write(tx -> tx.tags().removeAll("q"));
        Map<String, String> none = read(tx -> tx.tags().of("q"));
        assertThat(both)
                .containsExactly(Map.entry("beta", "2.0.0-b"), Map.entry("latest", "1.1.0"));
        assertThat(one).containsExactly(Map.entry("latest", "1.1.0"));
        assertThat(none).isEmpty();
    }

    @Test
    default void maintainersKeepTheOrderTheyWereAddedInOnceEach() {
        write(
                tx -> {
                    tx.packages().insert(pkg("p"));
                    tx.packages().insert(pkg("dead").withUnpublished(R0));
                    tx.maintainers().add("p", "carol", R0);
                    tx.maintainers().add("p", "alice", R0.plusSeconds(1));
                    tx.maintainers().add("p", "carol", R0.plusSeconds(2));
                    tx.maintainers().add("dead", "alice", R0);
                });
        List<String> of = read(tx -> tx.maintainers().of("p"));
        List<String> alices = read(tx -> tx.maintainers().packagesOf("alice"));
        Optional<Instant> carolSince = read(tx -> tx.maintainers().addedAt("p", "carol"));
        Optional<Instant> bobSince = read(tx -> tx.maintainers().addedAt("p", "bob"));
        write(tx -> tx.maintainers().remove("p", "carol"));
        List<String> afterRemove = read(tx -> tx.maintainers().of("p"));
        write(tx -> tx.maintainers().removeAll("p"));
        List<String> afterRemoveAll = read(tx -> tx.maintainers().of("p"));
        assertThat(of).containsExactly("carol", "alice");
        assertThat(alices).as("unpublished packages are not listed").containsExactly("p");
        assertThat(carolSince).as("a second add changes nothing").contains(R0);
        assertThat(bobSince).isEmpty();
        assertThat(afterRemove).containsExactly("alice");
        assertThat(afterRemoveAll).isEmpty();
    }

    @Test
    default void starsAreAddedOnceAndRemoved() {
        write(
                tx -> {
                    tx.stars().add("p", "bob");
                    tx.stars().add("p", "alice");
                    tx.stars().add("p", "bob");
                    tx.stars().add("q", "bob");
                });
        List<String> ofP = read(tx -> tx.stars().of("p"));
        List<String> bobs = read(tx -> tx.stars().starredBy("bob"));
        write(tx -> tx.stars().remove("p", "bob"));
        List<String> after = read(tx -> tx.stars().of("p"));
        assertThat(ofP).containsExactly("alice", "bob");
        assertThat(bobs).containsExactly("p", "q");
        assertThat(after).containsExactly("alice");
    }

    @Test
    default void aPackumentsBytesAreKeptExactlyAndASecondReplacesTheFirst() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        PackumentRecord first =
                new PackumentRecord(
                        "p", 1, all, new byte[] {1}, "\"f1\"", all, new byte[0], "\"a1\"");
        PackumentRecord second =
                new PackumentRecord(
                        "p",
                        2,
                        new byte[] {9},
                        new byte[] {8},
                        "\"f2\"",
                        new byte[] {7},
                        new byte[] {6},
                        "\"a2\"");
        write(tx -> tx.packuments().put(first));
        PackumentRecord got1 = read(tx -> tx.packuments().find("p")).orElseThrow();
        write(tx -> tx.packuments().put(second));
        PackumentRecord got2 = read(tx -> tx.packuments().find("p")).orElseThrow();
        write(tx -> tx.packuments().remove("p"));
        Optional<PackumentRecord> gone = read(tx -> tx.packuments().find("p"));
        assertThat(got1.full()).isEqualTo(all);
        assertThat(got1.abbreviated()).isEqualTo(all);
        assertThat(got1.abbreviatedGzip()).isEmpty();
        assertThat(got1.rev()).isEqualTo(1);
        assertThat(got2.rev()).isEqualTo(2);
        assertThat(got2.full()).containsExactly(9);
        assertThat(got2.fullGzip()).containsExactly(8);
        assertThat(got2.fullEtag()).isEqualTo("\"f2\"");
        assertThat(got2.abbreviated()).containsExactly(7);
        assertThat(got2.abbreviatedGzip()).containsExactly(6);
        assertThat(got2.abbreviatedEtag()).isEqualTo("\"a2\"");
        assertThat(gone).isEmpty();
    }

    private List<String> search(int limit, String... terms) {
        List<Hit> hits = read(tx -> tx.search().find(List.of(terms), limit));
        return hits.stream().map(Hit::name).toList();
    }

    @Test
    default void searchTermsAreLiteralAndIgnoreCase() {
        write(
                tx -> {
                    tx.search().put("a_b", "a_b 100% Sure", "{\"n\":1}");
                    tx.search().put("axb", "axb 100x sure", "{}");
                });
        assertThat(search(10, "a_b")).containsExactly("a_b");
        assertThat(search(10, "100%")).containsExactly("a_b");
        assertThat(search(10, "SURE", "axb")).containsExactly("axb");
        assertThat(search(10, "sure")).containsExactly("a_b", "axb");
        assertThat(search(1, "sure")).containsExactly("a_b");
        List<Hit> hit = read(tx -> tx.search().find(List.of("a_b"), 10));
        assertThat(hit).containsExactly(new Hit("a_b", "{\"n\":1}"));
    }

    @Test
    default void aSearchDocumentIsReplacedAndRemoved() {
        write(
                tx -> {
                    tx.search().put("p", "old words", "{}");
                    tx.search().put("p", "new words", "{}");
                    tx.search().put("q", "new too", "{}");
                });
        assertThat(search(10, "old")).isEmpty();
        assertThat(search(10, "new")).containsExactly("p", "q");
        write(tx -> tx.search().remove("p"));
        assertThat(search(10, "new")).containsExactly("q");
    }

    @Test
    default void theMostDependedUponAndDownloadedNamesComeAboveTheirThresholds() {
        write(
                tx -> {
                    tx.dependencies().put("a", "1.0.0", List.of("core", "util"));
                    tx.dependencies().put("a", "1.1.0", List.of("core"));
                    tx.dependencies().put("b", "1.0.0", List.of("core", "util"));
                    tx.dependencies().put("c", "1.0.0", List.of("core"));
                    tx.dependencies().put("core", "1.0.0", List.of("core"));
                    tx.downloads()
                            .add(LocalDate.parse("2026-01-01"), Map.of("old", 500L, "hot", 20L));
                    tx.downloads()
                            .add(LocalDate.parse("2026-01-08"), Map.of("hot", 90L, "warm", 40L));
                });
        // a version of its own and a second version of one dependent do not count twice
        List<String> twoOrMore = read(tx -> tx.dependencies().dependedUpon(2, 10));
        List<String> threeOrMore = read(tx -> tx.dependencies().dependedUpon(3, 10));
        List<String> first = read(tx -> tx.dependencies().dependedUpon(1, 1));
        LocalDate from = LocalDate.parse("2026-01-02");
        List<String> downloaded = read(tx -> tx.downloads().downloadedAtLeast(from, 40, 10));
        assertThat(twoOrMore).containsExactly("core", "util");
        assertThat(threeOrMore).containsExactly("core");
        assertThat(first).containsExactly("core");
        assertThat(downloaded).containsExactly("hot", "warm");
    }

    @Test
    default void dependentsAreCountedByNameAndARemovedVersionNoLongerCounts() {
        write(
                tx -> {
                    tx.dependencies().put("a", "1.0.0", List.of("core"));
                    tx.dependencies().put("a", "1.0.0", List.of("core")); // again
                    tx.dependencies().put("a", "2.0.0", List.of("core"));
                    tx.dependencies().put("b", "1.0.0", List.of("core"));
                    tx.dependencies().put("core", "1.0.0", List.of("core"));
                });
        int before = read(tx -> tx.dependencies().dependentCount("core"));
        write(tx -> tx.dependencies().removeVersion("b", "1.0.0"));
        int after = read(tx -> tx.dependencies().dependentCount("core"));
        int none = read(tx -> tx.dependencies().dependentCount("a"));
        assertThat(before).isEqualTo(2);
        assertThat(after).isEqualTo(1);
        assertThat(none).isZero();
    }

    @Test
    default void dependentsAreListedByNameOnceEachWithoutThePackageItself() {
        write(
                tx -> {
                    tx.dependencies().put("zeta", "1.0.0", List.of("core"));
                    tx.dependencies().put("alpha", "1.0.0", List.of("core", "util"));
                    tx.dependencies().put("alpha", "2.0.0", List.of("core"));
                    tx.dependencies().put("mid", "1.0.0", List.of("util"));
                    tx.dependencies().put("core", "1.0.0", List.of("core"));
                });
        List<String> all = read(tx -> tx.dependencies().dependents("core", 10));
        List<String> first = read(tx -> tx.dependencies().dependents("core", 1));
        write(tx -> tx.dependencies().removeVersion("zeta", "1.0.0"));
        List<String> after = read(tx -> tx.dependencies().dependents("core", 10));
        List<String> none = read(tx -> tx.dependencies().dependents("alpha", 10));
        assertThat(all).containsExactly("alpha", "zeta");
        assertThat(first).containsExactly("alpha");
        assertThat(after).containsExactly("alpha");
        assertThat(none).isEmpty();
    }

    @Test
    default void recentlyPublishedListsPackagesByTheirNewestLiveVersion() {
        write(
                tx -> {
                    for (String n : List.of("old", "new", "gone", "mixed")) {
                        tx.packages().insert(pkg(n));
                    }
                    tx.versions().insert(published("old", "1.0.0", 10));
                    tx.versions().insert(published("mixed", "1.0.0", 20));
                    tx.versions().insert(published("new", "1.0.0", 30));
                    tx.versions().insert(published("gone", "1.0.0", 40));
                    tx.versions().insert(published("mixed", "2.0.0", 50));
                    tx.versions().insert(published("old", "0.9.0", 5));
                });
        List<String> before = read(tx -> tx.versions().recentlyPublished(10));
        List<String> two = read(tx -> tx.versions().recentlyPublished(2));
        write(
                tx -> {
                    tx.versions().setUnpublished("gone", "1.0.0", R0.plusSeconds(60));
                    tx.versions().setUnpublished("mixed", "2.0.0", R0.plusSeconds(60));
                });
        List<String> after = read(tx -> tx.versions().recentlyPublished(10));
        assertThat(before).containsExactly("mixed", "gone", "new", "old");
        assertThat(two).containsExactly("mixed", "gone");
        // an unpublished version no longer counts; a package with none live is left out
        assertThat(after).containsExactly("new", "mixed", "old");
    }

    private static VersionRecord published(String name, String version, long second) {
        VersionRecord v = version(name, version, "blob-" + name + version);
        return new VersionRecord(
                v.name(),
                v.version(),
                v.manifest(),
                v.integrity(),
                v.shasum(),
                v.blobKey(),
                v.tarballSize(),
                v.fileCount(),
                v.unpackedSize(),
                R0.plusSeconds(second),
                v.publisher(),
                null,
                null,
                null);
    }

    @Test
    default void downloadsOfADayAddUpAndCountFromADay() {
        write(
                tx -> {
                    tx.downloads().add(LocalDate.parse("2026-01-01"), Map.of("p", 3_000_000_000L));
                    tx.downloads().add(LocalDate.parse("2026-01-02"), Map.of("p", 5L));
                    tx.downloads().add(LocalDate.parse("2026-01-02"), Map.of("p", 7L, "q", 1L));
                });
        long all = read(tx -> tx.downloads().since("p", LocalDate.parse("2026-01-01")));
        long second = read(tx -> tx.downloads().since("p", LocalDate.parse("2026-01-02")));
        long none = read(tx -> tx.downloads().since("r", LocalDate.parse("2026-01-01")));
        assertThat(all).isEqualTo(3_000_000_012L);
        assertThat(second).isEqualTo(12);
        assertThat(none).isZero();
    }

    @Test
    default void theFirstClaimOfAScopeKeepsIt() {
        write(
                tx -> {
                    tx.scopes().claim("acme", "alice", R0);
                    tx.scopes().claim("acme", "mallory", R0.plusSeconds(1));
                });
        Optional<String> owner = read(tx -> tx.scopes().owner("acme"));
        Optional<String> none = read(tx -> tx.scopes().owner("other"));
        assertThat(owner).contains("alice");
        assertThat(none).isEmpty();
    }

    @Test
    default void registryEventsAreNumberedLoggedInOrderAndListedPerPackage() {
        long first = read(tx -> tx.registryEvents().nextId());
        write(
                tx -> {
                    long id = tx.registryEvents().nextId();
                    tx.registryEvents()
                            .add(id, "package.published", "p", "1.0.0", "{\"s\":1}", null, R0);
                    tx.registryEvents()
                            .add(
                                    tx.registryEvents().nextId(),
                                    "package.published",
                                    "p",
                                    "1.1.0",
                                    "{\"s\":2}",
                                    "opening",
                                    R0.plusSeconds(1));
                    tx.registryEvents()
                            .add(
                                    tx.registryEvents().nextId(),
                                    "dist-tag.set",
                                    "q",
                                    null,
                                    "{}",
                                    null,
                                    R0);
                });
        List<EventRecord> unlogged = read(tx -> tx.registryEvents().unlogged(2));
        write(tx -> tx.registryEvents().setLogIndex(unlogged.get(0).id(), 0));
        write(tx -> tx.registryEvents().setLogIndex(unlogged.get(1).id(), 4_294_967_296L));
        List<EventRecord> left = read(tx -> tx.registryEvents().unlogged(10));
        Map<String, Long> indexes = read(tx -> tx.registryEvents().publishIndexes("p"));
        List<EventRecord> ofP = read(tx -> tx.registryEvents().of("p"));
        assertThat(first).isEqualTo(1);
        assertThat(unlogged).extracting(EventRecord::id).containsExactly(1L, 2L);
        assertThat(left).extracting(EventRecord::pkg).containsExactly("q");
        assertThat(left.get(0).version()).isNull();
        assertThat(indexes)
                .containsOnly(Map.entry("1.0.0", 0L), Map.entry("1.1.0", 4_294_967_296L));
        assertThat(ofP.get(1))
                .isEqualTo(
                        new EventRecord(
                                2,
                                "package.published",
                                "p",
                                "1.1.0",
                                "{\"s\":2}",
                                "opening",
                                R0.plusSeconds(1),
                                4_294_967_296L));
        assertThat(readLong(tx -> tx.registryEvents().nextId())).isEqualTo(4);
    }

    @Test
    default void theLatestLiveProvenanceIsTheNewestOfAVersionStillPublished() {
        ProvenanceRecord old = new ProvenanceRecord("p", "1.0.0", "slsa", "b1", "f1", "a1", R0);
        ProvenanceRecord newer =
                new ProvenanceRecord("p", "1.1.0", "slsa", "b2", "f2", "a2", R0.plusSeconds(10));
        write(
                tx -> {
                    tx.versions().insert(version("p", "1.0.0", "x"));
                    tx.versions().insert(version("p", "1.1.0", "y"));
                    tx.provenances().put(old);
                    tx.provenances().put(newer);
                });
        Optional<ProvenanceRecord> latest = read(tx -> tx.provenances().latestLive("p"));
        write(tx -> tx.versions().setUnpublished("p", "1.1.0", R0));
        Optional<ProvenanceRecord> afterUnpublish = read(tx -> tx.provenances().latestLive("p"));
        Optional<ProvenanceRecord> found = read(tx -> tx.provenances().find("p", "1.1.0"));
        Optional<ProvenanceRecord> none = read(tx -> tx.provenances().latestLive("q"));
        assertThat(latest).contains(newer);
        assertThat(afterUnpublish).contains(old);
        assertThat(found).contains(newer);
        assertThat(none).isEmpty();
    }

    @Test
    default void newFilesCountOtherPackagesWithinTheWindowOnceEach() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        write(
                tx -> {
                    tx.reviewFacts().recordNewFiles("worm-a", "1.0.1", List.of("aa", "bb"), t0);
                    tx.reviewFacts().recordNewFiles("worm-a", "1.0.1", List.of("aa"), t0); // again
                    tx.reviewFacts()
                            .recordNewFiles("worm-b", "2.0.1", List.of("aa"), t0.plusSeconds(3600));
                    tx.reviewFacts()
                            .recordNewFiles("old", "1.0.0", List.of("aa"), t0.minusSeconds(86_400));
                });
        int aroundC = read(tx -> tx.reviewFacts().otherPackagesWithNewFile("aa", "worm-c", t0));
        int aroundA = read(tx -> tx.reviewFacts().otherPackagesWithNewFile("aa", "worm-a", t0));
        int other = read(tx -> tx.reviewFacts().otherPackagesWithNewFile("bb", "worm-a", t0));
        assertThat(aroundC)
                .as("worm-a and worm-b within the window; old is before it")
                .isEqualTo(2);
        assertThat(aroundA).as("the package itself does not count").isEqualTo(1);
        assertThat(other).isZero();
    }

    @Test
    default void aReleaseSummaryIsKeptPerVersionAndASecondReplacesTheFirst() {
        write(
                tx -> {
                    tx.reviewFacts().recordSummary("left-pad", "1.0.0", new byte[] {1, 2});
                    tx.reviewFacts().recordSummary("left-pad", "1.0.0", new byte[] {3});
                    tx.reviewFacts().recordSummary("left-pad", "1.0.1", new byte[] {4});
                });
        byte[] first = read(tx -> tx.reviewFacts().summary("left-pad", "1.0.0"));
        byte[] second = read(tx -> tx.reviewFacts().summary("left-pad", "1.0.1"));
        byte[] none = read(tx -> tx.reviewFacts().summary("left-pad", "0.9.0"));
        assertThat(first).containsExactly(3);
        assertThat(second).containsExactly(4);
        assertThat(none).as("a release published before summaries were kept").isNull();
    }

    @Test
    default void packagesPublishedByAnAccountAreCountedOnceSinceATime() {
        write(
                tx -> {
                    tx.versions().insert(version("p", "1.0.0", "x"));
                    tx.versions().insert(version("p", "1.0.1", "x"));
                    tx.versions().insert(version("q", "1.0.0", "x"));
                });
        int since = read(tx -> tx.reviewFacts().packagesPublishedBy("alice", R0));
        int later = read(tx -> tx.reviewFacts().packagesPublishedBy("alice", R0.plusMillis(1)));
        int other = read(tx -> tx.reviewFacts().packagesPublishedBy("bob", R0));
        assertThat(since).isEqualTo(2);
        assertThat(later).isZero();
        assertThat(other).isZero();
    }
}
