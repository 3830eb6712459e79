package dev.warden.verify.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.log.NoteKey;
import dev.warden.provenance.sigstore.TrustRoot;
import dev.warden.signing.TufRepository;
import dev.warden.verify.testing.FakeRemote;
import dev.warden.verify.testing.MovableClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a registry's keys, roots and log come from: a Warden's TUF targets, or keys pinned on first
 * use for registries without TUF, or the policy's pins.
 */
class RegistryTrustTest {

    static final URI WARDEN = URI.create("https://warden.invalid:8443/");
    static final URI PLAIN = URI.create("http://verdaccio.invalid:4873");

    @TempDir Path cacheDir;
    MovableClock clock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));

    static String spki() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        return Base64.getEncoder().encodeToString(k.getPublic().getEncoded());
    }

    static byte[] keysDoc(String... idsAndKeys) {
        StringBuilder b = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < idsAndKeys.length; i += 2) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"expires\":null,\"keyid\":\"")
                    .append(idsAndKeys[i])
                    .append(
                            "\",\"keytype\":\"ecdsa-sha2-nistp256\",\"scheme\":\"ecdsa-sha2-nistp256\",\"key\":\"")
                    .append(idsAndKeys[i + 1])
                    .append("\"}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] publicGoodRoot() throws Exception {
        try (InputStream in =
                TrustRoot.class.getResourceAsStream("public-good-trusted_root.json")) {
            return in.readAllBytes();
        }
    }

    RegistryTrust load(URI registry, FakeRemote remote, boolean offline) throws TrustException {
        return RegistryTrust.load(registry, remote, cacheDir, offline, Optional.empty(), clock);
    }

    @Test
    void a_warden_gives_keys_roots_and_its_log_through_tuf(@TempDir Path repoDir) throws Exception {
        String key = spki();
        NoteKey.Signer logKey = NoteKey.generate("warden.invalid:8443/-/log", NoteKey.ED25519);
        NoteKey.Signer statements =
                NoteKey.generate("warden.invalid:8443/registry", NoteKey.ED25519);
        byte[] log =
                ("{\"url\":\"https://warden.invalid:8443/-/log/\",\"origin\":\"warden.invalid:8443/-/log\",\"key\":\""
                                + logKey.verifier().vkey()
                                + "\",\"registryKey\":\""
                                + statements.verifier().vkey()
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        TufRepository.Key online = TufRepository.Key.generate();
        TufRepository.initialize(
                repoDir, List.of(TufRepository.Key.generate()), 1, online, clock.instant());
        TufRepository repo = new TufRepository(repoDir, online);
        repo.publish(
                Map.of(
                        "trusted_root.json", publicGoodRoot(),
                        "registry_keys.json", keysDoc("SHA256:abc", key),
                        "transparency_log.json", log),
                clock.instant());
        FakeRemote remote =
                new FakeRemote().route(WARDEN + "-/tuf/", p -> repo.file(p).orElse(null));

        RegistryTrust t = load(WARDEN, remote, false);
        assertThat(t.registryKeys()).extracting(RegistryKey::keyid).containsExactly("SHA256:abc");
        assertThat(Base64.getEncoder().encodeToString(t.registryKeys().get(0).key().getEncoded()))
                .isEqualTo(key);
        LogKeys lk = t.log().orElseThrow();
        assertThat(lk.url()).isEqualTo(URI.create("https://warden.invalid:8443/-/log/"));
        assertThat(lk.origin()).isEqualTo("warden.invalid:8443/-/log");
        assertThat(lk.logKey()).isEqualTo(logKey.verifier());
        assertThat(lk.registryStatementKey()).isEqualTo(statements.verifier());
        assertThat(t.notices())
                .singleElement()
                .asString()
                .startsWith("pinned the TUF root of " + WARDEN + "-/tuf/ on first use (sha256 ");
        assertThat(remote.count("/-/npm/v1/keys")).isZero();
        assertThat(cacheDir.resolve("trust/warden.invalid_8443/tuf/root.json")).exists();

        // offline: the same material from the cache
        RegistryTrust off = load(WARDEN, new FakeRemote().unreachable(), true);
        assertThat(off.registryKeys()).extracting(RegistryKey::keyid).containsExactly("SHA256:abc");
        assertThat(off.log()).contains(lk);
        assertThat(off.notices())
                .singleElement()
                .asString()
                .startsWith("offline: TUF metadata of " + WARDEN + "-/tuf/ last verified");

        // a registry once seen with TUF is not trusted without it
        FakeRemote downgraded =
                new FakeRemote().route(WARDEN + "-/npm/v1/keys", p -> keysDoc("SHA256:evil", key));
        assertThatThrownBy(() -> load(WARDEN, downgraded, false))
                .hasMessage("GET " + WARDEN + "-/tuf/timestamp.json answered 404, expected 200");
    }

    @Test
    void without_tuf_keys_are_pinned_on_first_use_and_changes_are_noticed() throws Exception {
        String a = spki();
        String b = spki();
        byte[][] served = {keysDoc("A", a)};
        FakeRemote remote = new FakeRemote().route(PLAIN + "/-/npm/v1/keys", p -> served[0]);

        RegistryTrust first = load(PLAIN, remote, false);
        assertThat(first.registryKeys()).extracting(RegistryKey::keyid).containsExactly("A");
        assertThat(first.log()).isEmpty();
        assertThat(first.notices())
                .containsExactly(
                        "no TUF repository at "
                                + PLAIN
                                + "/: pinned its keys [A] from /-/npm/v1/keys on first use");
        assertThat(first.sigstoreRoot()).isSameAs(TrustRoot.publicGood());

        // a new key: accepted with a notice; the same keyid with another key: the pinned one kept
        served[0] = keysDoc("A", b, "B", b);
        RegistryTrust second = load(PLAIN, remote, false);
        assertThat(second.registryKeys()).extracting(RegistryKey::keyid).containsExactly("A", "B");
        assertThat(
                        Base64.getEncoder()
                                .encodeToString(second.registryKeys().get(0).key().getEncoded()))
                .isEqualTo(a);
        assertThat(second.notices())
                .containsExactly(
                        PLAIN
                                + "/ serves keyid A with another key than the pinned one: kept the"
                                + " pinned key",
                        PLAIN
                                + "/ serves a new key B: trusted from now on (pin the keys in the"
                                + " policy to refuse new ones)");

        // a pinned key no longer served stays trusted, with a notice
        served[0] = keysDoc("B", b);
        RegistryTrust third = load(PLAIN, remote, false);
        assertThat(third.registryKeys()).extracting(RegistryKey::keyid).containsExactly("A", "B");
        assertThat(third.notices())
                .containsExactly(PLAIN + "/ no longer serves the pinned key A: still trusted");

        // offline: the pins
        assertThat(load(PLAIN, new FakeRemote().unreachable(), true).registryKeys()).hasSize(2);
    }

    @Test
    void a_registry_without_keys_is_a_notice_and_offline_without_a_pin_is_refused()
            throws Exception {
        RegistryTrust t = load(PLAIN, new FakeRemote(), false);
        assertThat(t.registryKeys()).isEmpty();
        assertThat(t.notices())
                .containsExactly(
                        PLAIN
                                + "/ publishes no signing keys ("
                                + PLAIN
                                + "/-/npm/v1/keys answered 404)");
        URI other = URI.create("http://other.invalid/");
        assertThatThrownBy(() -> load(other, new FakeRemote().unreachable(), true))
                .hasMessage(
                        "offline, and no keys of "
                                + other
                                + " in the cache: run once online first");
    }

    @Test
    void garbage_from_the_registry_is_a_trust_exception() throws Exception {
        FakeRemote html =
                new FakeRemote()
                        .route(
                                PLAIN + "/-/npm/v1/keys",
                                p -> "<html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> load(PLAIN, html, false))
                .hasMessage("GET " + PLAIN + "/-/npm/v1/keys is not JSON");
        FakeRemote badKey =
                new FakeRemote().route(PLAIN + "/-/npm/v1/keys", p -> keysDoc("K", "bm90IGEga2V5"));
        assertThatThrownBy(() -> load(PLAIN, badKey, false))
                .hasMessage(
                        "GET "
                                + PLAIN
                                + "/-/npm/v1/keys: key K is not an EC or Ed25519 public key (base64"
                                + " SPKI DER)");
        FakeRemote spa =
                new FakeRemote()
                        .route(PLAIN + "/-/tuf/", p -> "<html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> load(PLAIN, spa, false))
                .hasMessage("root " + PLAIN + "/-/tuf/1.root.json is not JSON");
        dev.warden.verify.Remote down =
                (uri, ifNoneMatch, limit) ->
                        new dev.warden.verify.Remote.Response(503, new byte[0], Optional.empty());
        assertThatThrownBy(
                        () ->
                                RegistryTrust.load(
                                        PLAIN, down, cacheDir, false, Optional.empty(), clock))
                .hasMessage(
                        "GET " + PLAIN + "/-/tuf/1.root.json answered 503, expected 200 or 404");
    }

    @Test
    void the_npm_registry_keys_are_built_in() throws Exception {
        URI npm = URI.create("https://registry.npmjs.org/");
        RegistryTrust off =
                RegistryTrust.load(
                        npm,
                        new FakeRemote().unreachable(),
                        cacheDir,
                        true,
                        Optional.empty(),
                        clock);
        assertThat(off.registryKeys())
                .extracting(RegistryKey::keyid, RegistryKey::expires)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA",
                                Instant.parse("2025-01-29T00:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple(
                                "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U", null));
        assertThat(off.registryKeys()).allMatch(k -> k.key().getAlgorithm().equals("EC"));
        // online, npm serving the same keys: nothing to notice
        List<RegistryKey> builtIn = RegistryTrust.builtIn(npm);
        FakeRemote remote =
                new FakeRemote().route(npm + "-/npm/v1/keys", p -> KeysDocument.write(builtIn));
        assertThat(
                        RegistryTrust.load(npm, remote, cacheDir, false, Optional.empty(), clock)
                                .notices())
                .isEmpty();
    }

    @Test
    void keys_the_policy_pins_replace_what_the_registry_serves() throws Exception {
        RegistryKey pinned = new RegistryKey("P", KeysDocument.publicKey(spki(), "p"), null);
        FakeRemote remote =
                new FakeRemote().route(PLAIN + "/-/npm/v1/keys", p -> keysDoc("A", "x"));
        RegistryTrust t =
                RegistryTrust.load(
                        PLAIN,
                        remote,
                        cacheDir,
                        false,
                        Optional.of(new PinnedMaterial(List.of(pinned), null)),
                        clock);
        assertThat(t.registryKeys()).containsExactly(pinned);
        assertThat(remote.count("/-/npm/v1/keys")).isZero();
    }

    @Test
    void a_policy_pin_is_read_and_checked_when_loaded(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root.json");
        TufRepository.initialize(
                dir,
                List.of(TufRepository.Key.generate()),
                1,
                TufRepository.Key.generate(),
                clock.instant());
        java.nio.file.Files.copy(dir.resolve("1.root.json"), root);
        PinnedMaterial pin = PinnedMaterial.load(Map.of("K", spki()), root);
        assertThat(pin.keys()).extracting(RegistryKey::keyid).containsExactly("K");
        byte[] rootBytes = java.nio.file.Files.readAllBytes(root);
        assertThat(pin.root()).hasValueSatisfying(b -> assertThat(b).isEqualTo(rootBytes));
        assertThatThrownBy(() -> PinnedMaterial.load(Map.of("K", "AAAA"), null))
                .hasMessage("pinned key K is not an EC or Ed25519 public key (base64 SPKI DER)");
        assertThatThrownBy(() -> PinnedMaterial.load(Map.of(), dir.resolve("absent.json")))
                .hasMessageStartingWith(
                        "cannot read the pinned TUF root " + dir.resolve("absent.json"));
        java.nio.file.Files.writeString(
                dir.resolve("bad.json"), "{\"signed\":{\"_type\":\"targets\"},\"signatures\":[]}");
        assertThatThrownBy(() -> PinnedMaterial.load(Map.of(), dir.resolve("bad.json")))
                .hasMessageStartingWith(
                        "pinned TUF root " + dir.resolve("bad.json") + " has no version");
    }
}
