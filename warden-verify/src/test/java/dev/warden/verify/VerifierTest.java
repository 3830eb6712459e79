package dev.warden.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.Lockfile;
import dev.warden.verify.lockfile.ProjectRegistry;
import dev.warden.verify.lockfile.SourceKind;
import dev.warden.verify.policy.Policy;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.PackageResult;
import dev.warden.verify.report.Report;
import dev.warden.verify.report.Status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine against a stand-in registry that serves what a hostile or broken registry would: each
 * tampering gives its own finding, with the reason, and nothing else fails.
 */
class VerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(30));

    @TempDir Path cache;
    @TempDir Path project;
    private StandInRegistry registry;
    private final List<LockedPackage> locked = new ArrayList<>();

    @BeforeEach
    void publish() throws Exception {
        registry = new StandInRegistry();
        lock(
                "left-pad",
                "1.3.0",
                registry.publish("left-pad", "1.3.0", bytes("left-pad"), LONG_AGO));
        lock(
                "@acme/util",
                "2.0.0",
                registry.publish("@acme/util", "2.0.0", bytes("util"), LONG_AGO));
    }

    @Test
    void aTreeTheRegistrySignedVerifies() throws Exception {
        Report r = run(Policy.defaults(), false);

        assertThat(r.exitCode()).isZero();
        for (PackageResult p : r.results()) {
            assertThat(statusOf(p, Check.INTEGRITY)).isEqualTo(Status.PASS);
            assertThat(statusOf(p, Check.SIGNATURE)).isEqualTo(Status.PASS);
        }
    }

    @Test
    void aTarballChangedInTheRegistryFailsItsIntegrity() throws Exception {
        registry.files.put("/left-pad/-/left-pad-1.3.0.tgz", bytes("changed"));

        Report r = run(Policy.defaults(), false);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(finding(r, "left-pad", Check.INTEGRITY).message())
                .startsWith("the tarball's sha512 is ")
                .contains("the registry's integrity says");
        assertThat(result(r, "@acme/util").status()).isNotEqualTo(Status.FAIL);
    }

    @Test
    void aRegistryThatChangedAVersionsIntegrityDisagreesWithTheLockfile() throws Exception {
        registry.publish("left-pad", "1.3.0", bytes("republished"), LONG_AGO);

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.INTEGRITY).message())
                .startsWith("the lockfile pins sha512-")
                .contains("the registry now gives");
    }

    @Test
    void aForgedSignatureFails() throws Exception {
        ObjectNode doc = registry.packument("left-pad");
        ObjectNode sig =
                (ObjectNode)
                        doc.path("versions").path("1.3.0").path("dist").path("signatures").get(0);
        sig.put("sig", registry.sign("left-pad@1.3.1:sha512-other"));
        registry.store("left-pad", doc);

        Report r = run(Policy.defaults(), false);

        Finding f = finding(r, "left-pad", Check.SIGNATURE);
        assertThat(f.status()).isEqualTo(Status.FAIL);
        assertThat(f.message()).contains("does not verify over left-pad@1.3.0:");
    }

    @Test
    void aSignatureByAKeyTheRegistryDoesNotListFails() throws Exception {
        ObjectNode doc = registry.packument("left-pad");
        ObjectNode sig =
                (ObjectNode)
                        doc.path("versions").path("1.3.0").path("dist").path("signatures").get(0);
        sig.put("keyid", "SHA256:someone-else");
        registry.store("left-pad", doc);

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.SIGNATURE).message())
                .contains("signed by key 'SHA256:someone-else', which the registry does not list");
    }

    @Test
    void aVersionWithoutASignatureFailsWhereTheRegistrySigns() throws Exception {
        ObjectNode doc = registry.packument("left-pad");
        ((ObjectNode) doc.path("versions").path("1.3.0").path("dist")).remove("signatures");
        registry.store("left-pad", doc);

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.SIGNATURE).message())
                .isEqualTo(
                        "left-pad@1.3.0 carries no registry signature, but the registry signs its"
                                + " versions");
    }

    @Test
    void aLockfileUrlAtAnotherHostFailsWhenTheRegistryIsGiven() throws Exception {
        locked.set(
                0,
                new LockedPackage(
                        "left-pad",
                        "1.3.0",
                        SourceKind.REGISTRY,
                        "http://elsewhere.invalid/left-pad/-/left-pad-1.3.0.tgz",
                        locked.get(0).integrity(),
                        false,
                        List.of("node_modules/left-pad")));

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.SOURCE).message())
                .isEqualTo(
                        "resolved from http://elsewhere.invalid:80, not from the registry "
                                + StandInRegistry.BASE);
        assertThat(registry.requests).noneMatch(u -> u.contains("elsewhere"));
    }

    @Test
    void aNameThatIsAPathIsRefusedBeforeAnyRequest() throws Exception {
        locked.add(
                new LockedPackage(
                        "../../etc/passwd",
                        "1.0.0",
                        SourceKind.REGISTRY,
                        null,
                        null,
                        false,
                        List.of("node_modules/../../etc/passwd")));

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "../../etc/passwd", Check.LOCKFILE).message())
                .contains("is not a package name");
        assertThat(registry.requests).noneMatch(u -> u.contains("etc"));
    }

    @Test
    void anUnknownIntegrityAlgorithmIsNamed() throws Exception {
        LockedPackage p = locked.get(0);
        locked.set(
                0,
                new LockedPackage(
                        p.name(),
                        p.version(),
                        p.kind(),
                        p.resolved(),
                        "md5-AAAAAAAAAAAAAAAAAAAAAA==",
                        false,
                        p.paths()));

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.LOCKFILE).message())
                .isEqualTo("integrity algorithm 'md5' is not one of sha1, sha256, sha384, sha512");
    }

    @Test
    void garbageAndMissingPackumentsAreFetchFailures() throws Exception {
        registry.files.put("/left-pad", "<html>oops".getBytes(StandardCharsets.UTF_8));
        registry.files.remove("/@acme%2futil");

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.FETCH).message()).endsWith("answered invalid JSON");
        assertThat(finding(r, "@acme/util", Check.FETCH).message()).endsWith("answered HTTP 404");
    }

    @Test
    void aKeyThatExpiredBeforeThePublishDoesNotCount() throws Exception {
        registry.keys(LONG_AGO.minus(Duration.ofDays(1)));

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.SIGNATURE).message())
                .contains("which expired at " + LONG_AGO.minus(Duration.ofDays(1)));
    }

    @Test
    void aSecondRunVerifiesOfflineFromTheCache() throws Exception {
        Report first = run(Policy.defaults(), false);
        registry.cutOff = true;

        Report offline = run(Policy.defaults(), true);

        assertThat(first.exitCode()).isZero();
        assertThat(offline.exitCode()).isZero();
        assertThat(offline.notices()).anyMatch(n -> n.startsWith("offline: "));
    }

    @Test
    void offlineWithAnEmptyCacheSaysWhatIsMissing() throws Exception {
        registry.cutOff = true;

        Report r = run(Policy.defaults(), true);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(finding(r, "left-pad", Check.FETCH).message())
                .contains(
                        "offline, and the cache does not hold "
                                + StandInRegistry.BASE
                                + "left-pad");
    }

    @Test
    void anUnchangedPackumentIsRevalidatedNotRefetched() throws Exception {
        run(Policy.defaults(), false);
        int before = registry.requests.size();

        run(Policy.defaults(), false);

        List<String> second = registry.requests.subList(before, registry.requests.size());
        assertThat(second).noneMatch(u -> u.endsWith(".tgz"));
    }

    @Test
    void policyRulesOnAgeAndScripts() throws Exception {
        lock(
                "fresh",
                "1.0.0",
                registry.publish("fresh", "1.0.0", bytes("fresh"), NOW.minus(Duration.ofHours(5))));
        ObjectNode doc = registry.packument("left-pad");
        ((ObjectNode) doc.path("versions").path("1.3.0"))
                .putObject("scripts")
                .put("postinstall", "node x.js");
        registry.store("left-pad", doc);
        Policy policy =
                Policy.parse(
                        """
                        [age]
                        minimum_days = 3
                        [scripts]
                        allow = ["esbuild"]
                        """,
                        "test.toml");

        Report r = run(policy, false);

        assertThat(finding(r, "fresh", Check.AGE).message())
                .startsWith("published 5 hours ago")
                .endsWith("the policy asks at least 3 days");
        assertThat(finding(r, "left-pad", Check.SCRIPTS).message())
                .isEqualTo(
                        "runs install scripts, and the policy's [scripts] does not allow them for"
                                + " left-pad");
        assertThat(statusOf(result(r, "@acme/util"), Check.AGE)).isEqualTo(Status.PASS);
    }

    @Test
    void anExceptionWaivesItsPackagesFailuresUntilItExpires() throws Exception {
        registry.files.put("/left-pad/-/left-pad-1.3.0.tgz", bytes("vendored"));
        String toml =
                """
                [[exception]]
                package = "left-pad@1.3.0"
                reason = "vendored fix"
                expires = %s
                """;

        Report waived = run(Policy.parse(toml.formatted("2027-01-31"), "p.toml"), false);
        Report expired = run(Policy.parse(toml.formatted("2026-11-30"), "p.toml"), false);

        assertThat(waived.exitCode()).isZero();
        assertThat(result(waived, "left-pad").waiver()).isEqualTo("vendored fix");
        assertThat(statusOf(result(waived, "left-pad"), Check.INTEGRITY)).isEqualTo(Status.WAIVED);
        assertThat(expired.exitCode()).isEqualTo(1);
        assertThat(expired.notices())
                .anyMatch(n -> n.contains("left-pad@1.3.0 expired on 2026-11-30"));
    }

    @Test
    void aKeyWithAnExpiryDoesNotCountWhenThePublishTimeIsMissing() throws Exception {
        registry.keys(NOW.plus(Duration.ofDays(1)));
        ObjectNode doc = registry.packument("left-pad");
        doc.remove("time");
        registry.store("left-pad", doc);

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.SIGNATURE).message())
                .contains("and the registry gives no publish time");
        assertThat(statusOf(result(r, "@acme/util"), Check.SIGNATURE)).isEqualTo(Status.PASS);
    }

    @Test
    void everyHashTheLockfilePinsIsChecked() throws Exception {
        LockedPackage p = locked.get(0);
        String sha1 =
                "sha1-"
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        java.security.MessageDigest.getInstance("SHA-1")
                                                .digest(bytes("left-pad")));
        String otherSha512 = registry.publish("other", "1.0.0", bytes("other"), LONG_AGO);
        ObjectNode doc = registry.packument("left-pad");
        ((ObjectNode) doc.path("versions").path("1.3.0").path("dist")).put("integrity", sha1);
        ((ObjectNode) doc.path("versions").path("1.3.0").path("dist")).remove("signatures");
        registry.store("left-pad", doc);
        locked.set(
                0,
                new LockedPackage(
                        p.name(),
                        p.version(),
                        p.kind(),
                        p.resolved(),
                        otherSha512 + " " + sha1,
                        false,
                        p.paths()));

        Report r = run(Policy.defaults(), false);

        assertThat(finding(r, "left-pad", Check.INTEGRITY).message())
                .startsWith("the tarball's sha512 is ");
    }

    @Test
    void anAttestationsUrlIsReadOnTheRegistrysOwnHost() throws Exception {
        ObjectNode doc = registry.packument("left-pad");
        ((ObjectNode) doc.path("versions").path("1.3.0").path("dist"))
                .putObject("attestations")
                .put("url", "http://registry.test:4873//elsewhere.invalid/x");
        registry.store("left-pad", doc);

        Report r = run(Policy.defaults(), false);

        // the path is taken on the registry's own host, as npm does
        assertThat(finding(r, "left-pad", Check.FETCH).message())
                .isEqualTo(
                        "attestations: http://registry.test:4873/elsewhere.invalid/x answered HTTP"
                                + " 404");
        assertThat(registry.requests)
                .filteredOn(u -> u.contains("elsewhere"))
                .containsExactly("http://registry.test:4873/elsewhere.invalid/x");
    }

    @Test
    void aLinkOutsideTheProjectIsALocalFileToThePolicy() throws Exception {
        locked.add(
                new LockedPackage(
                        "left-pad",
                        "",
                        SourceKind.LINK,
                        "../../elsewhere/left-pad",
                        null,
                        false,
                        List.of("node_modules/linked")));
        Policy registryOnly = Policy.parse("[sources]\nallow = [\"registry\"]\n", "p.toml");

        Report r = run(registryOnly, false);

        assertThat(r.results().get(2).findings())
                .extracting(Finding::message)
                .containsExactly(
                        "links to ../../elsewhere/left-pad, outside the project, and the policy's"
                                + " [sources] does not allow local files");
    }

    @Test
    void aPinnedKeyHoldsHoweverTheLockfileSpellsTheRegistry() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        String other =
                java.util.Base64.getEncoder()
                        .encodeToString(g.generateKeyPair().getPublic().getEncoded());
        Policy pinned =
                Policy.parse(
                        """
                        [[registry]]
                        url = "http://registry.test:4873"
                        keys = [{ keyid = "SHA256:pinned", key = "%s" }]
                        """
                                .formatted(other),
                        "p.toml");
        locked.replaceAll(
                p ->
                        new LockedPackage(
                                p.name(),
                                p.version(),
                                p.kind(),
                                p.resolved().replace("registry.test", "REGISTRY.test"),
                                p.integrity(),
                                false,
                                p.paths()));
        Lockfile lockfile =
                new Lockfile(project.resolve("package-lock.json"), "package-lock v3", locked);

        Report r =
                new Verifier(registry, Clock.fixed(NOW, ZoneOffset.UTC))
                        .verify(
                                lockfile,
                                ProjectRegistry.discover(project),
                                pinned,
                                new Verifier.Settings(
                                        Optional.empty(), cache, false, 4, PolicyPins.of(pinned)),
                                p -> {});

        assertThat(finding(r, "left-pad", Check.SIGNATURE).message())
                .contains("which the registry does not list");
    }

    @Test
    void installScriptsAreReadFromTheTarballNotOnlyTheRegistrysManifest() throws Exception {
        byte[] tgz =
                tgz(
                        "package/package.json",
                        "{\"name\":\"sneaky\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"node"
                            + " x.js\"}}");
        lock("sneaky", "1.0.0", registry.publish("sneaky", "1.0.0", tgz, LONG_AGO));
        Policy noScripts = Policy.parse("[scripts]\nallow = [\"esbuild\"]\n", "p.toml");

        Report r = run(noScripts, false);

        assertThat(finding(r, "sneaky", Check.SCRIPTS).message())
                .isEqualTo(
                        "runs install scripts, and the policy's [scripts] does not allow them for"
                                + " sneaky");
        assertThat(result(r, "left-pad").findings()).noneMatch(f -> f.check() == Check.SCRIPTS);
    }

    private static byte[] tgz(String name, String content) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var gz =
                        new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(
                                out);
                var tar =
                        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
            e.setSize(b.length);
            tar.putArchiveEntry(e);
            tar.write(b);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    @Test
    void anAttestationsAnswerThatIsNotOneIsNotKept() throws Exception {
        ObjectNode doc = registry.packument("left-pad");
        ((ObjectNode) doc.path("versions").path("1.3.0").path("dist"))
                .putObject("attestations")
                .put("url", StandInRegistry.BASE + "-/npm/v1/attestations/left-pad@1.3.0");
        registry.store("left-pad", doc);
        registry.files.put(
                "/-/npm/v1/attestations/left-pad@1.3.0",
                "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8));

        Report first = run(Policy.defaults(), false);
        registry.files.put(
                "/-/npm/v1/attestations/left-pad@1.3.0",
                "{\"attestations\":[]}".getBytes(StandardCharsets.UTF_8));
        Report second = run(Policy.defaults(), false);

        assertThat(finding(first, "left-pad", Check.FETCH).message())
                .isEqualTo("attestations: the registry answered invalid JSON");
        assertThat(result(second, "left-pad").findings()).noneMatch(f -> f.check() == Check.FETCH);
    }

    private Report run(Policy policy, boolean offline) throws Exception {
        Lockfile lockfile =
                new Lockfile(project.resolve("package-lock.json"), "package-lock v3", locked);
        return new Verifier(registry, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(
                        lockfile,
                        ProjectRegistry.discover(project),
                        policy,
                        new Verifier.Settings(
                                Optional.of(URI.create(StandInRegistry.BASE)),
                                cache,
                                offline,
                                4,
                                java.util.Map.of()),
                        p -> {});
    }

    private void lock(String name, String version, String integrity) {
        locked.add(
                new LockedPackage(
                        name,
                        version,
                        SourceKind.REGISTRY,
                        StandInRegistry.tarballUrl(name, version),
                        integrity,
                        false,
                        List.of("node_modules/" + name)));
    }

    private static byte[] bytes(String s) {
        return ("tarball of " + s).getBytes(StandardCharsets.UTF_8);
    }

    private static PackageResult result(Report r, String name) {
        return r.results().stream()
                .filter(p -> p.pkg().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Finding finding(Report r, String name, Check check) {
        return result(r, name).findings().stream()
                .filter(f -> f.check() == check)
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no "
                                                + check
                                                + " finding for "
                                                + name
                                                + ": "
                                                + result(r, name)));
    }

    private static Status statusOf(PackageResult p, Check check) {
        return p.findings().stream()
                .filter(f -> f.check() == check)
                .map(Finding::status)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " finding: " + p));
    }
}
