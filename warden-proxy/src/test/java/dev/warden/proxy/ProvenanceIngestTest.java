package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.provenance.testing.TestSigstore;
import dev.warden.provenance.testing.TestSigstore.Build;
import dev.warden.storage.Upstreams.IngestedVersion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Provenance of upstream versions, verified offline against real Sigstore bundles (a test CA, CT
 * log and Rekor), and trust continuity between versions.
 */
class ProvenanceIngestTest {

    private static final Build OCTO = Build.github("octo-org/octo-pkg");

    @TempDir Path dir;

    private Instant daysAgo(Fixture f, int days) {
        return f.clock.instant().minus(Duration.ofDays(days));
    }

    @Test
    void verifiedProvenanceIsKeptWithTheRowAndTheAttestationsUnchanged() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);

            IngestedVersion row = f.ingest("pkg", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            assertThat(
                            f.verified(row)
                                    .path("verified")
                                    .path("provenance")
                                    .path("sourceRepository")
                                    .asText())
                    .isEqualTo("https://github.com/octo-org/octo-pkg");
            assertThat(f.verified(row).path("verified").path("continuity").asText())
                    .isEqualTo("kept");
            assertThat(row.attestations())
                    .isEqualTo(f.up.files.get("/-/npm/v1/attestations/pkg@1.0.0"));
        }
    }

    @Test
    void aBundleForAnotherTarballIsHeld() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            byte[] tgz = Tgz.of("pkg", "1.0.0").bytes();
            f.publishWithProvenance("pkg", "1.0.0", tgz, daysAgo(f, 3), OCTO);
            byte[] other = Tgz.of("pkg", "1.0.0").file("evil.js", "0").bytes();
            f.up.attest("pkg", "1.0.0", Fixture.SIGSTORE.provenance("pkg", "1.0.0", other, OCTO));

            IngestedVersion row = f.ingest("pkg", "1.0.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .startsWith("provenance does not verify: ")
                    .contains("provenance subject digest does not match the tarball's sha512");
        }
    }

    @Test
    void aBundleFromAnUntrustedSigstoreIsHeld() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            byte[] tgz = Tgz.of("pkg", "1.0.0").bytes();
            f.publishWithProvenance("pkg", "1.0.0", tgz, daysAgo(f, 3), OCTO);
            f.up.attest(
                    "pkg",
                    "1.0.0",
                    new TestSigstore("elsewhere").provenance("pkg", "1.0.0", tgz, OCTO));

            IngestedVersion row = f.ingest("pkg", "1.0.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason()).startsWith("provenance does not verify: ");
        }
    }

    @Test
    void announcedAttestationsTheUplinkDoesNotServeAreHeld() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);
            f.up.files.remove("/-/npm/v1/attestations/pkg@1.0.0");

            IngestedVersion row = f.ingest("pkg", "1.0.0");

            assertThat(row.reason())
                    .isEqualTo(
                            "the packument announces attestations, but uplink up answered 404 for"
                                    + " /-/npm/v1/attestations/pkg@1.0.0");
        }
    }

    @Test
    void anUplinkBusyWithItsAttestationsDecidesNothing() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);
            for (int status : new int[] {429, 503}) {
                f.up.statuses.put("/-/npm/v1/attestations/pkg@1.0.0", status);

                Problem p = catchThrowableOfType(Problem.class, () -> f.ingest("pkg", "1.0.0"));

                assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_GATEWAY);
                assertThat(p.getMessage())
                        .isEqualTo(
                                "uplink up could not be reached: uplink up answered "
                                        + status
                                        + " for its attestations");
                assertThat(f.row("pkg", "1.0.0")).isEmpty();
            }
            f.up.statuses.clear();

            assertThat(f.ingest("pkg", "1.0.0").state()).isEqualTo("served");
        }
    }

    @Test
    void aProvenanceDowngradeIsHeldNamingBothVersions() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);
            f.ingest("pkg", "1.0.0");
            f.up.publish("pkg", "1.1.0", Tgz.of("pkg", "1.1.0").bytes(), daysAgo(f, 1));

            String judged = f.holds("pkg").get("1.1.0");
            IngestedVersion row = f.ingest("pkg", "1.1.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .isEqualTo(
                            "provenance downgrade: 1.0.0 had provenance from"
                                    + " https://github.com/octo-org/octo-pkg, 1.1.0 has none");
            assertThat(judged)
                    .isEqualTo(
                            "provenance downgrade: 1.0.0 had provenance from"
                                + " git+https://github.com/octo-org/octo-pkg.git, 1.1.0 has none");
            assertThat(f.holds("pkg")).doesNotContainKey("1.0.0");
        }
    }

    @Test
    void aTrustedPublisherDowngradeIsHeld() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3));
            f.up.edit(
                    "pkg",
                    "1.0.0",
                    v ->
                            ((ObjectNode) v.path("_npmUser"))
                                    .putObject("trustedPublisher")
                                    .put("id", "github"));
            f.up.publish("pkg", "1.1.0", Tgz.of("pkg", "1.1.0").bytes(), daysAgo(f, 1));

            assertThat(f.holds("pkg").get("1.1.0"))
                    .isEqualTo(
                            "trusted publisher downgrade: 1.0.0 was published by a trusted"
                                    + " publisher, 1.1.0 was not");
            assertThat(f.ingest("pkg", "1.1.0").reason())
                    .isEqualTo(
                            "trusted publisher downgrade: 1.0.0 was published by a trusted"
                                    + " publisher, 1.1.0 was not");
        }
    }

    @Test
    void provenanceFromAnotherRepositoryIsHeldNamingBoth() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);
            f.ingest("pkg", "1.0.0");
            f.publishWithProvenance(
                    "pkg",
                    "1.1.0",
                    Tgz.of("pkg", "1.1.0").bytes(),
                    daysAgo(f, 1),
                    OCTO.withRepository("mallory/octo-pkg"));

            IngestedVersion row = f.ingest("pkg", "1.1.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .isEqualTo(
                            "provenance from another source: 1.0.0 was built from"
                                + " https://github.com/octo-org/octo-pkg"
                                + " (https://github.com/octo-org/octo-pkg/.github/workflows/release.yml),"
                                + " 1.1.0 from https://github.com/mallory/octo-pkg"
                                + " (https://github.com/mallory/octo-pkg/.github/workflows/release.yml)");
        }
    }

    @Test
    void anotherRepositoryIsHeldAlsoWhenTheEarlierVersionWasNeverIngested() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);
            f.publishWithProvenance(
                    "pkg",
                    "1.1.0",
                    Tgz.of("pkg", "1.1.0").bytes(),
                    daysAgo(f, 1),
                    OCTO.withRepository("mallory/octo-pkg"));

            assertThat(f.ingest("pkg", "1.1.0").reason())
                    .isEqualTo(
                            "provenance from another source: 1.0.0 names the repository"
                                + " git+https://github.com/octo-org/octo-pkg.git, 1.1.0 was built"
                                + " from https://github.com/mallory/octo-pkg");
        }
    }

    @Test
    void theSameSourceAgainIsServed() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.publishWithProvenance(
                    "pkg", "1.0.0", Tgz.of("pkg", "1.0.0").bytes(), daysAgo(f, 3), OCTO);
            f.ingest("pkg", "1.0.0");
            f.publishWithProvenance(
                    "pkg", "1.1.0", Tgz.of("pkg", "1.1.0").bytes(), daysAgo(f, 1), OCTO);

            assertThat(f.ingest("pkg", "1.1.0").state()).isEqualTo("served");
            assertThat(f.holds("pkg")).isEmpty();
        }
    }
}
