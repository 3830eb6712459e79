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
import java.util.Base64;

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
        String approval =
                fixture.publishApproved(
                        "@acme/core", "1.0.1", java.util.Map.of(), VerifyFixture.PAD);
        assertThat(approval).contains("\"live\":true");
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
}
