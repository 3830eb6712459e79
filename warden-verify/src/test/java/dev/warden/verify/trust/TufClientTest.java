package dev.warden.verify.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Digests;
import dev.warden.signing.TufRepository;
import dev.warden.verify.testing.FakeRemote;
import dev.warden.verify.testing.MovableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The TUF client against a real repository written by warden-signing's {@code TufRepository}: the
 * workflow that succeeds, and each refusal named after what it shows.
 */
class TufClientTest {

    static final String BASE = "https://registry.invalid/-/tuf/";
    static final byte[] KEYS = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
    static final byte[] LOG = "{\"url\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir Path repoDir;
    @TempDir Path cacheDir;
    MovableClock clock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
    List<TufRepository.Key> roots;
    TufRepository.Key online;
    TufRepository repo;
    FakeRemote remote;

    @BeforeEach
    void repository() {
        roots =
                List.of(
                        TufRepository.Key.generate(),
                        TufRepository.Key.generate(),
                        TufRepository.Key.generate());
        online = TufRepository.Key.generate();
        TufRepository.initialize(repoDir, roots, 2, online, clock.instant());
        repo = new TufRepository(repoDir, online);
        repo.publish(
                Map.of("registry_keys.json", KEYS, "transparency_log.json", LOG), clock.instant());
        remote = new FakeRemote().route(BASE, p -> repo.file(p).orElse(null));
    }

    TufClient client() {
        return new TufClient(URI.create(BASE), remote, cacheDir, clock);
    }

    Map<String, byte[]> update() throws TrustException {
        return client().targets(
                        Optional.empty(),
                        Set.of("registry_keys.json", "transparency_log.json", "absent.json"),
                        false);
    }

    byte[] file(String name) throws Exception {
        return Files.readAllBytes(repoDir.resolve(name));
    }

    @Test
    void first_use_pins_version_1_then_follows_rotations_and_reads_targets_by_hash()
            throws Exception {
        TufClient c = client();
        Map<String, byte[]> t =
                c.targets(Optional.empty(), Set.of("registry_keys.json", "absent.json"), false);
        assertThat(t).containsOnlyKeys("registry_keys.json");
        assertThat(t.get("registry_keys.json")).isEqualTo(KEYS);
        assertThat(c.notices())
                .containsExactly(
                        "pinned the TUF root of "
                                + BASE
                                + " on first use (sha256 "
                                + Digests.sha256Hex(file("1.root.json"))
                                + ")");
        assertThat(remote.count("/targets/" + Digests.sha256Hex(KEYS) + ".registry_keys.json"))
                .isEqualTo(1);

        // a rotation to new root keys, signed by a threshold of old and new: followed, no new pin
        List<TufRepository.Key> fresh =
                List.of(TufRepository.Key.generate(), TufRepository.Key.generate());
        TufRepository.nextRoot(
                repoDir,
                List.of(roots.get(0), roots.get(2), fresh.get(0), fresh.get(1)),
                fresh,
                2,
                online,
                clock.instant());
        byte[] keys2 = "{\"keys\":[{}]}".getBytes(StandardCharsets.UTF_8);
        repo.publish(Map.of("registry_keys.json", keys2), clock.instant());
        TufClient again = client();
        assertThat(
                        again.targets(Optional.empty(), Set.of("registry_keys.json"), false)
                                .get("registry_keys.json"))
                .isEqualTo(keys2);
        assertThat(again.notices()).isEmpty();
        assertThat(cacheDir.resolve("root.json")).hasBinaryContent(file("2.root.json"));
    }

    @Test
    void metadata_whose_signature_does_not_verify_is_refused() throws Exception {
        update();
        repo.refresh(clock.instant().plus(Duration.ofHours(13)));
        String ts = Files.readString(repoDir.resolve("timestamp.json"));
        // the expiry pushed a year on without the online key's signature
        remote.override(
                BASE + "timestamp.json",
                ts.replaceFirst("\"expires\" : \"2026", "\"expires\" : \"2027")
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(this::update)
                .isInstanceOf(TrustException.class)
                .hasMessage(
                        "timestamp "
                                + BASE
                                + "timestamp.json is signed by 0 of the timestamp keys of root"
                                + " version 1, expected at least 1");
    }

    @Test
    void a_new_root_signed_by_fewer_than_the_threshold_of_old_keys_is_refused() {
        List<TufRepository.Key> fresh =
                List.of(TufRepository.Key.generate(), TufRepository.Key.generate());
        assertThat(new java.io.File(repoDir.toFile(), "1.root.json")).exists();
        // only one of the two old root keys it needs (plus the new ones)
        TufRepository.nextRoot(
                repoDir,
                List.of(roots.get(0), fresh.get(0), fresh.get(1)),
                fresh,
                2,
                online,
                clock.instant());
        assertThatThrownBy(this::update)
                .hasMessage(
                        "root "
                                + BASE
                                + "2.root.json is signed by 1 of the root keys of root version 1,"
                                + " expected at least 2");
    }

    @Test
    void a_new_root_not_signed_by_a_threshold_of_its_own_keys_is_refused() {
        List<TufRepository.Key> fresh =
                List.of(TufRepository.Key.generate(), TufRepository.Key.generate());
        TufRepository.nextRoot(
                repoDir,
                List.of(roots.get(0), roots.get(1), fresh.get(0)),
                fresh,
                2,
                online,
                clock.instant());
        assertThatThrownBy(this::update)
                .hasMessage(
                        "root "
                                + BASE
                                + "2.root.json is signed by 1 of the root keys of root version 2,"
                                + " expected at least 2");
    }

    @Test
    void a_root_chain_that_skips_a_version_is_refused() throws Exception {
        update();
        TufRepository.nextRoot(repoDir, roots, roots, 2, online, clock.instant());
        TufRepository.nextRoot(repoDir, roots, roots, 2, online, clock.instant());
        // version 3, properly signed, served where version 2 belongs
        remote.override(BASE + "2.root.json", file("3.root.json"));
        assertThatThrownBy(this::update)
                .hasMessage("root " + BASE + "2.root.json has version 3, expected 2");
    }

    @Test
    void a_timestamp_older_than_the_cached_one_is_a_rollback() throws Exception {
        byte[] old = file("timestamp.json");
        repo.publish(
                Map.of("registry_keys.json", "{\"keys\":[1]}".getBytes(StandardCharsets.UTF_8)),
                clock.instant());
        update();
        remote.override(BASE + "timestamp.json", old);
        assertThatThrownBy(this::update)
                .hasMessage(
                        "timestamp "
                                + BASE
                                + "timestamp.json has version 1, older than the cached timestamp"
                                + " version 2 (rollback)");
    }

    @Test
    void a_snapshot_naming_older_targets_than_the_cached_one_is_a_rollback(@TempDir Path replay)
            throws Exception {
        repo.publish(
                Map.of("registry_keys.json", "{\"keys\":[1]}".getBytes(StandardCharsets.UTF_8)),
                clock.instant());
        update(); // cached: snapshot 2 naming targets 2
        // the same keys sign a newer timestamp and snapshot that name targets version 1 again
        TufRepository.initialize(replay, roots, 2, online, clock.instant());
        TufRepository old = new TufRepository(replay, online);
        old.publish(Map.of("registry_keys.json", KEYS), clock.instant());
        old.refresh(clock.instant().plus(Duration.ofDays(4)));
        old.refresh(clock.instant().plus(Duration.ofDays(8)));
        clock.advance(Duration.ofDays(8));
        remote.route(BASE, p -> old.file(p).orElse(null));
        assertThatThrownBy(this::update)
                .hasMessage(
                        "snapshot "
                                + BASE
                                + "3.snapshot.json names targets.json version 1, older than the"
                                + " cached 2 (rollback)");
    }

    @Test
    void expired_metadata_is_refused_online() throws Exception {
        update();
        clock.advance(Duration.ofDays(2)); // the timestamp lives one day; nobody refreshed it
        assertThatThrownBy(this::update)
                .hasMessageStartingWith(
                        "timestamp "
                                + BASE
                                + "timestamp.json (version 1) expired at 2026-12-02T00:00:00Z");
    }

    @Test
    void a_target_with_the_wrong_hash_or_length_is_refused() throws Exception {
        String path = "targets/" + Digests.sha256Hex(KEYS) + ".registry_keys.json";
        byte[] swapped = "{\"keys\":{}}".getBytes(StandardCharsets.UTF_8);
        assertThat(swapped).hasSameSizeAs(KEYS);
        remote.override(BASE + path, swapped);
        assertThatThrownBy(this::update)
                .hasMessage(
                        "target "
                                + BASE
                                + path
                                + " has sha256 "
                                + Digests.sha256Hex(swapped)
                                + ", expected "
                                + Digests.sha256Hex(KEYS));
        remote.override(BASE + path, "{}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(this::update)
                .hasMessage("target " + BASE + path + " has 2 bytes, expected " + KEYS.length);
        remote.override(
                BASE + path,
                (new String(KEYS, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(this::update)
                .hasMessageContaining("is larger than " + KEYS.length + " bytes");
        assertThat(cacheDir.resolve("targets/registry_keys.json")).doesNotExist();
    }

    @Test
    void a_pinned_root_of_another_repository_refuses_this_one() throws Exception {
        Path other = Files.createTempDirectory(cacheDir, "other");
        TufRepository.initialize(
                other,
                List.of(TufRepository.Key.generate()),
                1,
                TufRepository.Key.generate(),
                clock.instant());
        byte[] pinned = Files.readAllBytes(other.resolve("1.root.json"));
        TufClient c = client();
        assertThatThrownBy(
                        () -> c.targets(Optional.of(pinned), Set.of("registry_keys.json"), false))
                .hasMessage(
                        "timestamp "
                                + BASE
                                + "timestamp.json is signed by 0 of the timestamp keys of root"
                                + " version 1, expected at least 1");
        // the repository's own root, pinned: no first-use notice
        TufClient d = client();
        assertThat(d.targets(Optional.of(file("1.root.json")), Set.of("registry_keys.json"), false))
                .containsKey("registry_keys.json");
        assertThat(d.notices()).isEmpty();
    }

    @Test
    void offline_the_last_verified_metadata_is_used_whatever_its_age() throws Exception {
        update();
        clock.advance(Duration.ofDays(30));
        remote.unreachable();
        remote.requests.clear();
        TufClient c = client();
        Map<String, byte[]> t =
                c.targets(
                        Optional.empty(),
                        Set.of("registry_keys.json", "transparency_log.json"),
                        true);
        assertThat(t.get("transparency_log.json")).isEqualTo(LOG);
        assertThat(c.notices())
                .containsExactly(
                        "offline: TUF metadata of "
                                + BASE
                                + " last verified 30 days ago (2026-12-01T00:00:00Z)");
        assertThat(remote.requests).isEmpty();

        // a cached target changed on disk is caught
        Files.writeString(cacheDir.resolve("targets/transparency_log.json"), "{\"url\":\"y\"}");
        assertThatThrownBy(
                        () ->
                                client().targets(
                                                Optional.empty(),
                                                Set.of("transparency_log.json"),
                                                true))
                .hasMessageStartingWith(
                        "cached target transparency_log.json of " + BASE + " has sha256");
    }

    @Test
    void offline_with_nothing_cached_is_refused() {
        assertThatThrownBy(
                        () ->
                                client().targets(
                                                Optional.empty(),
                                                Set.of("registry_keys.json"),
                                                true))
                .hasMessage(
                        "offline, and no TUF metadata of "
                                + BASE
                                + " in the cache: run once online first");
    }

    @Test
    void garbage_instead_of_a_root_is_refused() {
        remote.override(
                BASE + "1.root.json", "<html>hello</html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(this::update).hasMessage("root " + BASE + "1.root.json is not JSON");
        assertThat(cacheDir.resolve("root.json")).doesNotExist();
    }
}
