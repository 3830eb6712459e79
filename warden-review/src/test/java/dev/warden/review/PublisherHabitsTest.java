package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.common.Digests;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

class PublisherHabitsTest {

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", "module.exports = 1;\n");

    private static Subject.Publisher publisher(
            boolean trusted,
            boolean provenance,
            boolean first,
            boolean newClient,
            boolean newAddress) {
        return new Subject.Publisher(
                "mallory",
                trusted,
                !trusted,
                provenance,
                first,
                null,
                "203.0.113.50",
                newAddress,
                "npm/11.0.0 node/v22",
                newClient);
    }

    private static Findings review(
            Subject.Previous previous, Subject.Publisher p, FakeEcosystem eco, Pkg next) {
        Subject s =
                new Subject(
                        "widget",
                        "1.0.1",
                        next.tarball(),
                        next.manifest,
                        previous,
                        "1.0.0",
                        p,
                        Pkg.NOW);
        return new Reviewer(ReviewSettings.DEFAULTS, eco).examine(s);
    }

    @Test
    void tokenPublishAfterTrustedPublishingIsAHighDowngrade() {
        Subject.Previous trusted =
                new Subject.Previous(
                        "1.0.0", LIB.tarball(), LIB.manifest, true, true, "github-actions");
        Findings f =
                review(
                        trusted,
                        publisher(false, false, false, false, false),
                        new FakeEcosystem(),
                        LIB.next("1.0.1"));

        Finding d = the(f, "provenance-downgrade");
        assertThat(d.severity()).isEqualTo(Severity.HIGH);
        assertThat(d.summary()).contains("with a token").contains("trusted publishing");
    }

    @Test
    void trustedPublishingAgainIsNoDowngrade() {
        Subject.Previous trusted =
                new Subject.Previous(
                        "1.0.0", LIB.tarball(), LIB.manifest, true, true, "github-actions");
        Findings f =
                review(
                        trusted,
                        publisher(true, true, false, false, false),
                        new FakeEcosystem(),
                        LIB.next("1.0.1"));

        assertThat(find(f, "provenance-downgrade")).isEmpty();
    }

    @Test
    void firstPublishByANewMaintainerIsMedium() {
        Findings f =
                review(
                        LIB.asPrevious(),
                        publisher(false, false, true, false, false),
                        new FakeEcosystem(),
                        LIB.next("1.0.1"));

        assertThat(the(f, "new-maintainer-publish").summary())
                .contains("mallory")
                .contains("alice");
    }

    @Test
    void newClientAndAddressAreLow() {
        Findings f =
                review(
                        LIB.asPrevious(),
                        publisher(false, false, false, true, true),
                        new FakeEcosystem(),
                        LIB.next("1.0.1"));

        assertThat(the(f, "new-client").severity()).isEqualTo(Severity.LOW);
        assertThat(the(f, "new-address").evidence().get(0).excerpt()).isEqualTo("203.0.113.50");
    }

    @Test
    void manyPackagesInAnHourIsABurst() {
        FakeEcosystem eco = new FakeEcosystem();
        eco.publishedLastHour = 40;

        assertThat(
                        the(
                                        review(
                                                LIB.asPrevious(),
                                                publisher(false, false, false, false, false),
                                                eco,
                                                LIB.next("1.0.1")),
                                        "publish-burst")
                                .summary())
                .contains("40 packages");
    }

    @Test
    void sameNewFileInOtherPackagesRunAtInstallIsCritical() {
        String bundle = "/* bundle */\n" + "var x = 1;\n".repeat(100);
        FakeEcosystem eco = new FakeEcosystem();
        eco.spread.put(Digests.sha256Hex(bundle.getBytes(StandardCharsets.UTF_8)), 2);
        Pkg next =
                LIB.next("1.0.1").script("postinstall", "node bundle.js").file("bundle.js", bundle);

        Finding f =
                the(
                        review(
                                LIB.asPrevious(),
                                publisher(false, false, false, false, false),
                                eco,
                                next),
                        "file-spreading");

        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence().get(0).file()).isEqualTo("bundle.js");
    }

    @Test
    void aSharedLicenseIsNotSpreading() {
        String license = "MIT License\n" + "Permission is hereby granted...\n".repeat(40);
        FakeEcosystem eco = new FakeEcosystem();
        eco.spread.put(Digests.sha256Hex(license.getBytes(StandardCharsets.UTF_8)), 50);

        assertThat(
                        find(
                                review(
                                        LIB.asPrevious(),
                                        publisher(false, false, false, false, false),
                                        eco,
                                        LIB.next("1.0.1").file("LICENSE", license)),
                                "file-spreading"))
                .isEmpty();
    }
}
