package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.e2e.VerifyFixture.Client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code warden verify} end to end: real lockfiles made by npm, pnpm, yarn classic and yarn berry
 * installing from a Warden, verified; then each tampering of the registry's data, and each rule of
 * a policy, makes it fail with the finding that names it.
 */
class VerifyEndToEndTest {

    @TempDir static Path dir;
    static VerifyFixture fixture;
    static Tampering tamper;

    @BeforeAll
    static void start() throws Exception {
        fixture = VerifyFixture.start(dir);
        tamper = new Tampering(fixture.data);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    // ------------------------------------------------------------------ warden verify

    @Test
    void everyClientsLockfileVerifies() throws Exception {
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Map<Client, java.util.concurrent.Future<Verified>> runs = new EnumMap<>(Client.class);
            for (Client c : Client.values()) {
                runs.put(c, pool.submit(() -> verify(fixture.project(c), cacheDir())));
            }
            for (Map.Entry<Client, java.util.concurrent.Future<Verified>> run : runs.entrySet()) {
                Verified v = run.getValue().get();
                assertThat(v.exit()).as(run.getKey() + ": " + v.failures() + v.err()).isZero();
                assertThat(v.specs())
                        .as(run.getKey() + " verified every locked package")
                        .containsAll(VerifyFixture.LOCKED);
                // Warden's versions carry every kind of evidence, and each was checked
                for (String spec : List.of("@acme/widget@1.1.0", "left-pad@1.3.0")) {
                    for (String check :
                            List.of(
                                    "integrity",
                                    "signature",
                                    "provenance",
                                    "publish-attestation",
                                    "log")) {
                        assertThat(v.status(spec, check))
                                .as(run.getKey() + " " + spec + " " + check)
                                .isEqualTo("PASS");
                    }
                }
                assertThat(v.status("plain-pkg@2.0.0", "signature")).isEqualTo("PASS");
                assertThat(v.status("plain-pkg@2.0.0", "provenance")).isNotEqualTo("FAIL");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTarballChangedInTheStoreFailsItsIntegrityForEveryClient() throws Exception {
        try (Tampering.Undo undo = tamper.changeTarball("@acme/core", "1.0.0")) {
            for (Client c : Client.values()) {
                Verified v = verify(fixture.project(c), cacheDir());
                assertThat(v.exit()).as(c + ": " + v.failures() + v.err()).isEqualTo(1);
                assertThat(v.failing()).as(c.name()).containsExactly("@acme/core@1.0.0");
                assertThat(v.message("@acme/core@1.0.0", "integrity"))
                        .as(c.name())
                        .contains("the tarball's sha512")
                        .contains("the registry's integrity says");
            }
        }
    }

    @Test
    void attestationsSwappedBetweenVersionsFailTheirSubject() throws Exception {
        try (Tampering.Undo undo = tamper.swapAttestations("@acme/widget", "1.0.0", "1.1.0")) {
            Verified v = verify(fixture.project(Client.PNPM), cacheDir());
            assertThat(v.exit()).as(v.failures() + v.err()).isEqualTo(1);
            assertThat(v.failing()).containsExactly("@acme/widget@1.1.0");
            assertThat(v.message("@acme/widget@1.1.0", "provenance"))
                    .contains("pkg:npm/%40acme/widget@1.0.0");
            assertThat(v.message("@acme/widget@1.1.0", "publish-attestation"))
                    .contains("its subject is pkg:npm/%40acme/widget@1.0.0")
                    .contains("expected pkg:npm/%40acme/widget@1.1.0");
        }
    }

    @Test
    void provenanceFromAnotherRepositoryFailsThePolicysPin(@TempDir Path project) throws Exception {
        // a release of @acme/core built in the other repository: Warden holds it (its build
        // differs from 1.0.0's), a maintainer approves it, and a project updates to it
        fixture.publishApproved("@acme/core", "1.0.1", Map.of(), VerifyFixture.PAD);
        Path copy = copyProject(fixture.project(Client.NPM), project);
        Clients.npm(
                        copy,
                        Clients.env(Files.createDirectories(copy.resolve(".home")), fixture.url()),
                        "install",
                        "--ignore-scripts",
                        "@acme/core@1.0.1")
                .ok();
        Path policy = write(project.resolve("policy.toml"), examplePolicy(List.of("fresh-pkg")));
        Verified v = verify(copy, cacheDir(), "--policy", policy.toString());
        assertThat(v.exit()).as(v.failures() + v.err()).isEqualTo(1);
        assertThat(v.failing()).containsExactly("@acme/core@1.0.1");
        assertThat(v.message("@acme/core@1.0.1", "source-repository"))
                .contains("built from https://github.com/pad/left-pad")
                .contains("the policy pins @acme/* to github.com/acme/monorepo");
        // the same lockfile without the pin: the provenance itself verifies
        Verified unpinned = verify(copy, cacheDir());
        assertThat(unpinned.exit()).as(unpinned.failures()).isZero();
        assertThat(unpinned.status("@acme/core@1.0.1", "provenance")).isEqualTo("PASS");
    }

    @Test
    void theIssuesExamplePolicyHoldsButForTheVersionPublishedJustNow(@TempDir Path dir)
            throws Exception {
        Path policy = write(dir.resolve("policy.toml"), examplePolicy(List.of()));
        Verified v =
                verify(
                        fixture.lockfile(Client.YARN_CLASSIC),
                        cacheDir(),
                        "--policy",
                        policy.toString());
        assertThat(v.exit()).as(v.failures() + v.err()).isEqualTo(1);
        // fresh-pkg is younger than three days and not excluded; left-pad too, but waived
        assertThat(v.failing()).containsExactly("fresh-pkg@0.1.0");
        assertThat(v.message("fresh-pkg@0.1.0", "age")).contains("the policy asks at least 3 days");
        assertThat(v.packageStatus("left-pad@1.3.0")).isEqualTo("WAIVED");
        assertThat(v.report().toString()).contains("vendored fix");
        // the rules that hold, each checked
        assertThat(v.status("@acme/widget@1.1.0", "source-repository")).isEqualTo("PASS");
        assertThat(v.status("@acme/core@1.0.0", "provenance")).isEqualTo("PASS");
        assertThat(v.status("esbuild@0.1.0", "scripts")).isEqualTo("PASS");
        assertThat(v.status("plain-pkg@2.0.0", "age")).isEqualTo("PASS");

        // and with fresh-pkg excluded from the age rule, it all holds
        Path relaxed = write(dir.resolve("relaxed.toml"), examplePolicy(List.of("fresh-pkg")));
        Verified ok =
                verify(
                        fixture.lockfile(Client.YARN_CLASSIC),
                        cacheDir(),
                        "--policy",
                        relaxed.toString());
        assertThat(ok.exit()).as(ok.failures() + ok.err()).isZero();
        assertThat(ok.packageStatus("left-pad@1.3.0")).isEqualTo("WAIVED");
    }

    @Test
    void eachRuleOfAPolicyNamesThePackageThatBreaksIt(@TempDir Path dir) throws Exception {
        // the npm project plus a dependency from a local tarball (a "file" source)
        Path project = copyProject(fixture.project(Client.NPM), dir.resolve("project"));
        Files.write(
                project.resolve("local-lib-1.0.0.tgz"),
                VerifyFixture.tarball(
                        "{\"name\":\"local-lib\",\"version\":\"1.0.0\"}",
                        Map.of("index.js", "module.exports = 1;\n")));
        Clients.npm(
                        project,
                        Clients.env(
                                Files.createDirectories(project.resolve(".home")), fixture.url()),
                        "install",
                        "--ignore-scripts",
                        "./local-lib-1.0.0.tgz")
                .ok();
        Path policy =
                write(
                        dir.resolve("policy.toml"),
                        """
                        [provenance]
                        require = ["@acme/*", "left-pad", "plain-pkg"]
                        [[source]]
                        packages = "@acme/*"
                        repository = "github.com/acme/monorepo"
                        workflow = ".github/workflows/nightly.yml"
                        [age]
                        minimum_days = 3
                        exclude = ["@acme/*"]
                        [scripts]
                        allow = ["some-other-package"]
                        [sources]
                        allow = ["registry"]
                        [[exception]]
                        package = "left-pad@1.3.0"
                        reason = "vendored fix"
                        expires = 2099-01-31
                        """);
        Verified v = verify(project, cacheDir(), "--policy", policy.toString());
        assertThat(v.exit()).as(v.err()).isEqualTo(1);
        assertThat(v.message("plain-pkg@2.0.0", "provenance"))
                .contains("the policy requires provenance for plain-pkg");
        assertThat(v.message("@acme/widget@1.1.0", "source-repository"))
                .contains("built by workflow")
                .contains("nightly.yml");
        assertThat(v.message("@acme/core@1.0.0", "source-repository")).contains("nightly.yml");
        assertThat(v.message("fresh-pkg@0.1.0", "age")).contains("at least 3 days");
        assertThat(v.message("esbuild@0.1.0", "scripts"))
                .contains("the policy's [scripts] does not allow them for esbuild");
        assertThat(v.message("local-lib@1.0.0", "source"))
                .contains("a local file")
                .contains("[sources] does not allow");
        assertThat(v.packageStatus("left-pad@1.3.0")).isEqualTo("WAIVED");
        assertThat(v.failing())
                .containsExactlyInAnyOrder(
                        "plain-pkg@2.0.0",
                        "@acme/widget@1.1.0",
                        "@acme/core@1.0.0",
                        "fresh-pkg@0.1.0",
                        "esbuild@0.1.0",
                        "local-lib@1.0.0");
    }

    @Test
    void anInstallScriptNotAllowedFails(@TempDir Path dir) throws Exception {
        Path policy = write(dir.resolve("policy.toml"), "[scripts]\nallow = []\n");
        Verified v =
                verify(
                        fixture.project(Client.YARN_BERRY),
                        cacheDir(),
                        "--policy",
                        policy.toString());
        assertThat(v.exit()).as(v.failures() + v.err()).isEqualTo(1);
        assertThat(v.failing()).containsExactly("esbuild@0.1.0");
        assertThat(v.message("esbuild@0.1.0", "scripts")).contains("runs install scripts");
    }

    @Test
    void offlineWithTheServerStoppedVerifiesFromTheCache() throws Exception {
        Path cache = cacheDir();
        Verified online = verify(fixture.project(Client.NPM), cache);
        assertThat(online.exit()).as(online.failures() + online.err()).isZero();
        fixture.stopServer();
        try {
            Verified offline = verify(fixture.project(Client.NPM), cache, "--offline");
            assertThat(offline.exit()).as(offline.failures() + offline.err()).isZero();
            assertThat(offline.specs()).containsAll(VerifyFixture.LOCKED);
            for (String spec : VerifyFixture.LOCKED) {
                assertThat(offline.packageStatus(spec))
                        .as(spec)
                        .isEqualTo(online.packageStatus(spec));
            }
            assertThat(offline.status("@acme/widget@1.1.0", "log")).isEqualTo("PASS");
            // with nothing cached there is nothing to verify against
            Verified empty = verify(fixture.project(Client.NPM), cacheDir(), "--offline");
            assertThat(empty.exit()).as(empty.err()).isEqualTo(1);
            assertThat(empty.report().toString()).contains("offline");
            assertThat(empty.failing()).containsAll(VerifyFixture.LOCKED);
        } finally {
            fixture.restartServer();
        }
    }

    @Test
    void aMalformedLockfileIsAnInputError(@TempDir Path dir) throws Exception {
        Path lock =
                Files.writeString(
                        dir.resolve("package-lock.json"),
                        "{\"lockfileVersion\": 3, \"packages\": [");
        Verified v = verify(lock, cacheDir());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.out()).isEmpty();
        assertThat(v.err().strip().lines()).hasSize(1);
        assertThat(v.err()).startsWith("warden verify: ").contains("package-lock.json");
    }

    @Test
    void aBadPolicyIsAnInputError(@TempDir Path dir) throws Exception {
        Path policy = write(dir.resolve("bad-policy.toml"), "[age]\nminimum_weeks = 2\n");
        Verified v = verify(fixture.project(Client.NPM), cacheDir(), "--policy", policy.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.out()).isEmpty();
        assertThat(v.err().strip().lines()).hasSize(1);
        assertThat(v.err()).contains("minimum_weeks").contains("bad-policy.toml");
    }

    // ------------------------------------------------------------------ the fixture itself

    @Test
    void everyClientLockedEveryPackageFromTheRegistry() throws Exception {
        for (Client c : Client.values()) {
            String lock = Files.readString(fixture.lockfile(c));
            for (String locked : VerifyFixture.LOCKED) {
                String name = locked.substring(0, locked.lastIndexOf('@'));
                String version = locked.substring(locked.lastIndexOf('@') + 1);
                assertThat(lock).as(c + " locks " + locked).contains(name).contains(version);
            }
        }
        assertThat(Files.readString(fixture.lockfile(Client.NPM)))
                .contains(fixture.url() + "/@acme/core/-/core-1.0.0.tgz")
                .contains("\"hasInstallScript\": true");
        assertThat(Files.readString(fixture.lockfile(Client.YARN_BERRY)))
                .contains("__metadata")
                .contains("\"@acme/core@npm:1.0.0\"");
        assertThat(Files.readString(fixture.lockfile(Client.YARN_CLASSIC)))
                .contains("# yarn lockfile v1");
        assertThat(Files.readString(fixture.lockfile(Client.PNPM))).contains("lockfileVersion:");
    }

    @Test
    void aChangedTarballIsServedUnderItsNameUntilPutBack() throws Exception {
        String integrity = distIntegrity("plain-pkg", "2.0.0");
        assertThat(servedIntegrity("plain-pkg", "2.0.0")).isEqualTo(integrity);
        try (Tampering.Undo undo = tamper.changeTarball("plain-pkg", "2.0.0")) {
            assertThat(servedIntegrity("plain-pkg", "2.0.0")).isNotEqualTo(integrity);
            assertThat(distIntegrity("plain-pkg", "2.0.0")).isEqualTo(integrity);
        }
        assertThat(servedIntegrity("plain-pkg", "2.0.0")).isEqualTo(integrity);
    }

    @Test
    void swappedAttestationsNameTheOtherVersion() throws Exception {
        assertThat(attestedSubject("@acme/widget", "1.1.0"))
                .isEqualTo("pkg:npm/%40acme/widget@1.1.0");
        try (Tampering.Undo undo = tamper.swapAttestations("@acme/widget", "1.0.0", "1.1.0")) {
            assertThat(attestedSubject("@acme/widget", "1.1.0"))
                    .isEqualTo("pkg:npm/%40acme/widget@1.0.0");
        }
        assertThat(attestedSubject("@acme/widget", "1.1.0"))
                .isEqualTo("pkg:npm/%40acme/widget@1.1.0");
    }

    @Test
    void oldPackagesAreTenDaysOldAndTheFreshOnesNew() throws Exception {
        JsonNode core = packument("@acme/core");
        JsonNode fresh = packument("fresh-pkg");
        java.time.Instant now = java.time.Instant.now();
        assertThat(java.time.Instant.parse(core.path("time").path("1.0.0").asText()))
                .isBefore(now.minus(java.time.Duration.ofDays(9)));
        assertThat(java.time.Instant.parse(fresh.path("time").path("0.1.0").asText()))
                .isAfter(now.minus(java.time.Duration.ofHours(1)));
        assertThat(core.path("versions").path("1.0.0").path("dist").has("attestations")).isTrue();
        assertThat(
                        packument("plain-pkg")
                                .path("versions")
                                .path("2.0.0")
                                .path("dist")
                                .has("attestations"))
                .isFalse();
    }

    @Test
    void aReleaseBuiltInAnotherRepositoryGoesLiveOnceApproved() throws Exception {
        // (publishApproved asserts the approval; another test may have published it already)
        fixture.publishApproved("@acme/core", "1.0.1", Map.of(), VerifyFixture.PAD);
        assertThat(packument("@acme/core").path("versions").has("1.0.1")).isTrue();
    }

    static JsonNode packument(String name) throws Exception {
        return fixture.http().get("/" + name.replace("/", "%2f")).json();
    }

    static String distIntegrity(String name, String version) throws Exception {
        return packument(name)
                .path("versions")
                .path(version)
                .path("dist")
                .path("integrity")
                .asText();
    }

    static String servedIntegrity(String name, String version) throws Exception {
        String tarball =
                packument(name)
                        .path("versions")
                        .path(version)
                        .path("dist")
                        .path("tarball")
                        .asText();
        byte[] bytes = fixture.http().get(tarball.substring(fixture.url().length())).bytes();
        return "sha512-"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    static String attestedSubject(String name, String version) throws Exception {
        JsonNode list =
                fixture.http()
                        .get("/-/npm/v1/attestations/" + name + "@" + version)
                        .json()
                        .path("attestations");
        JsonNode provenance = list.get(list.size() - 1).path("bundle").path("dsseEnvelope");
        JsonNode statement =
                dev.warden.server.testing.TestServer.parse(
                        new String(
                                Base64.getDecoder().decode(provenance.path("payload").asText())));
        return statement.path("subject").get(0).path("name").asText();
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code warden verify --json --no-progress} with the cache given. */
    static Verified verify(Path target, Path cache, String... more) throws Exception {
        return Verified.run(dir, target, cache, more);
    }

    private static final java.util.concurrent.atomic.AtomicInteger CACHES =
            new java.util.concurrent.atomic.AtomicInteger();

    /** A new, empty cache directory: a cold run. */
    static Path cacheDir() {
        return dir.resolve("cache-" + CACHES.incrementAndGet());
    }

    /** The issue's example policy, with {@code alsoExcluded} added to the age rule's exclusions. */
    static String examplePolicy(List<String> alsoExcluded) {
        List<String> exclude = new ArrayList<>(List.of("\"@acme/*\""));
        alsoExcluded.forEach(e -> exclude.add("\"" + e + "\""));
        return """
        [provenance]
        require = ["@acme/*", "left-pad"]
        [[source]]
        packages = "@acme/*"
        repository = "github.com/acme/monorepo"
        workflow = ".github/workflows/release.yml"
        [age]
        minimum_days = 3
        exclude = [%s]
        [scripts]
        allow = ["esbuild"]
        [sources]
        allow = ["registry"]
        [[exception]]
        package = "left-pad@1.3.0"
        reason = "vendored fix"
        expires = 2099-01-31
        """
                .formatted(String.join(", ", exclude));
    }

    static Path write(Path file, String text) throws Exception {
        return Files.writeString(file, text);
    }

    /** A copy of a project's manifest, lockfile and settings (not its node_modules). */
    static Path copyProject(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of("package.json", "package-lock.json", ".npmrc")) {
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f));
            }
        }
        return to;
    }
}
