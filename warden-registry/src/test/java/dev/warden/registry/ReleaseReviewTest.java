package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.accounts.Principal;
import dev.warden.common.Digests;
import dev.warden.common.Problem;
import dev.warden.governance.GovernancePolicy;
import dev.warden.governance.PackageGovernance;
import dev.warden.governance.ReviewThresholds;
import dev.warden.review.Ecosystem;
import dev.warden.review.Evidence;
import dev.warden.review.Finding;
import dev.warden.review.Findings;
import dev.warden.review.Severity;
import dev.warden.review.Subject;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The release review in the publish path: each action (allow, flag, hold, quarantine) over a real
 * store, with a reviewer that finds what the test's releases carry (the detectors are tested in
 * warden-review), and a review that fails holds the release.
 */
class ReleaseReviewTest {

    /** A postinstall that names a TEST-NET address: never run, only read. */
    static final String NETWORK_POSTINSTALL = "node -e \"fetch('http://192.0.2.1/x')\"";

    @TempDir Path dir;

    RegistryFixture f;
    Principal alice;
    Principal bob;
    final List<String> logged = new ArrayList<>();
    final List<Registry.Committed> told = new ArrayList<>();
    final List<Subject> reviewed = new ArrayList<>();
    final Map<String, Integer> wormCounts = new LinkedHashMap<>();

    /**
     * Finds what the tests' manifests and files carry, and asks the ecosystem what a worm test
     * needs.
     */
    Findings review(Ecosystem ecosystem, Subject s) {
        reviewed.add(s);
        List<Finding> out = new ArrayList<>();
        String postinstall = s.manifest().path("scripts").path("postinstall").asText("");
        String description = s.manifest().path("description").asText("");
        if (description.equals("explode")) {
            throw new IllegalStateException("a detector broke");
        }
        if (description.equals("recurse")) {
            return recurse(0);
        }
        if (postinstall.contains("192.0.2.1")) {
            out.add(
                    new Finding(
                            "install-script-network",
                            Severity.CRITICAL,
                            "postinstall fetches from a raw IP address",
                            List.of(
                                    new Evidence(
                                            "package.json",
                                            4,
                                            -1,
                                            0,
                                            "\"postinstall\": \"" + postinstall + "\""))));
        } else if (!postinstall.isEmpty()) {
            out.add(
                    new Finding(
                            "install-script-added",
                            Severity.HIGH,
                            "an install script was added: " + postinstall,
                            List.of(Evidence.of("package.json"))));
        }
        if (description.contains("unusual")) {
            out.add(
                    new Finding(
                            "publisher-new-client",
                            Severity.MEDIUM,
                            "published with a client this account never used",
                            List.of()));
        }
        String payload = s.manifest().path("payloadSha256").asText("");
        if (!payload.isEmpty()) {
            wormCounts.put(
                    s.name(),
                    ecosystem.otherPackagesWithNewFile(payload, s.name(), Duration.ofHours(6)));
        }
        return new Findings(
                out,
                List.of(),
                ("summary of " + s.name() + "@" + s.version())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Findings recurse(int depth) {
        return depth < 0 ? Findings.NONE : recurse(depth + 1);
    }

    @BeforeEach
    void open() throws Exception {
        f =
                new RegistryFixture(
                        dir,
                        Wiring.none()
                                .withAttestor(
                                        statement -> {
                                            logged.add(statement);
                                            return logged.size() - 1;
                                        })
                                .withListener(told::add)
                                .withReview(
                                        ReviewSetup.defaults()
                                                .withReviewer(eco -> s -> review(eco, s))));
        alice = f.user("alice");
        bob = f.user("bob");
        f.publish("lib", "1.0.0", alice);
        ObjectNode owners = RegistryFixture.JSON.createObjectNode();
        owners.put("_id", "lib");
        owners.putArray("maintainers").add("alice").add("bob");
        f.registry.updateDocument("lib", null, owners, alice);
        logged.clear();
        told.clear();
        reviewed.clear();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private ObjectNode manifest(String version) {
        return RegistryFixture.manifest("lib", version);
    }

    private ObjectNode withPostinstall(String version, String script) {
        ObjectNode m = manifest(version);
        m.putObject("scripts").put("postinstall", script);
        return m;
    }

    private List<JsonNode> statements(String kind) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String s : logged) {
            JsonNode n = RegistryFixture.JSON.readTree(s);
            if (n.path("kind").asText().equals(kind)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aBenignUpdateGoesLiveUntouchedAndNoOneIsTold() throws Exception {
        Registry.Published p = f.publish(manifest("1.0.1"), alice);

        assertThat(p.stageId()).isNull();
        assertThat(f.document("lib").path("versions").has("1.0.1")).isTrue();
        assertThat(told).extracting(Registry.Committed::kind).containsExactly("package.published");
        JsonNode published = statements("package.published").get(0);
        assertThat(published.has("review")).as("nothing found, nothing stated").isFalse();
        Subject s = reviewed.get(0);
        assertThat(s.previous().version()).isEqualTo("1.0.0");
        assertThat(s.previous().tarball())
                .as("the previous tarball, from the blob store")
                .isNotEmpty();
        assertThat(s.latest()).isEqualTo("1.0.0");
        assertThat(s.publisher().token()).isTrue();
        assertThat(s.publisher().firstPublishToPackage()).isFalse();
        assertThat(s.publisher().maintainerSince()).isNotNull();
    }

    @Test
    void theNextReviewGetsThePreviousReleasesSummaryKeptAtItsPublish() throws Exception {
        f.publish(manifest("1.0.1"), alice);
        f.publish(withPostinstall("1.0.2", "node setup.js"), alice); // held: a stage
        f.publish(manifest("1.0.3"), alice);

        assertThat(reviewed)
                .extracting(s -> s.previous().version())
                .containsExactly("1.0.0", "1.0.1", "1.0.1");
        assertThat(new String(reviewed.get(0).previous().summary(), UTF_8))
                .isEqualTo("summary of lib@1.0.0");
        assertThat(new String(reviewed.get(2).previous().summary(), UTF_8))
                .isEqualTo("summary of lib@1.0.1");
        byte[] held = f.store.read(tx -> tx.reviewFacts().summary("lib", "1.0.2"));
        assertThat(new String(held, UTF_8))
                .as("a held release's summary is kept with its stage, for when it goes live")
                .isEqualTo("summary of lib@1.0.2");
    }

    @Test
    void aFlaggedReleaseGoesLiveAndEveryMaintainerIsToldTheFindings() throws Exception {
        ObjectNode m = manifest("1.0.1");
        m.put("description", "an unusual client");

        Registry.Published p = f.publish(m, alice);

        assertThat(p.stageId()).isNull();
        assertThat(f.document("lib").path("versions").has("1.0.1")).isTrue();
        List<Registry.Committed> flagged =
                told.stream().filter(c -> c.kind().equals("release.flagged")).toList();
        assertThat(flagged).extracting(Registry.Committed::user).containsExactly("alice", "bob");
        assertThat(RegistryFixture.JSON.valueToTree(flagged.get(0).detail()).toString())
                .contains("publisher-new-client")
                .contains("published with a client this account never used");
        JsonNode published = statements("package.published").get(0);
        assertThat(published.path("review").path("action").asText()).isEqualTo("flag");
        assertThat(published.path("review").path("findings").get(0).asText())
                .isEqualTo("publisher-new-client");
    }

    @Test
    void aHeldReleaseIsAStageAbsentFromThePackumentUntilAMaintainerApprovesIt() throws Exception {
        Registry.Published p = f.publish(withPostinstall("1.1.0", "node setup.js"), alice);

        assertThat(p.stageId()).as("held as a stage").isNotNull();
        assertThat(p.notice())
                .contains("lib@1.1.0 is held for maintainer approval")
                .contains("an install script was added: node setup.js")
                .contains("npm stage approve " + p.stageId());
        assertThat(f.document("lib").path("versions").has("1.1.0")).isFalse();
        assertThat(f.registry.tarball("lib", "lib-1.1.0.tgz", null))
                .as("a held release is simply not there")
                .isEmpty();
        JsonNode created = statements("stage.created").get(0);
        assertThat(created.path("review").path("action").asText()).isEqualTo("hold");
        assertThat(created.path("review").path("findings").get(0).asText())
                .isEqualTo("install-script-added");
        assertThat(told.stream().filter(c -> c.kind().equals("release.held")))
                .extracting(Registry.Committed::user)
                .containsExactly("alice", "bob");

        ObjectNode item = f.registry.governance().view(p.stageId(), bob);
        assertThat(item.path("reviewAction").asText()).isEqualTo("hold");
        assertThat(item.path("findings").asText())
                .startsWith("install-script-added (high, hold): an install script was added")
                .contains("package.json");
        List<String> fields = new ArrayList<>();
        item.fieldNames().forEachRemaining(fields::add);
        assertThat(fields.indexOf("findings"))
                .as("the findings come before the diff")
                .isLessThan(fields.indexOf("installScripts"));

        PackageGovernance.Approval approval = f.registry.governance().approve(p.stageId(), bob);

        assertThat(approval.live()).isTrue();
        assertThat(f.document("lib").path("versions").has("1.1.0")).isTrue();
        assertThat(statements("stage.approved").get(0).path("review").path("action").asText())
                .isEqualTo("hold");
        assertThat(
                        statements("stage.released")
                                .get(0)
                                .path("review")
                                .path("findings")
                                .get(0)
                                .asText())
                .isEqualTo("install-script-added");
    }

    @Test
    void aTokenThatBypassesTwoFactorIsHeldLikeAnyOther() throws Exception {
        Principal stolen =
                new Principal(
                        "alice", false, "hash-of-a-stolen-token", true, Principal.TokenLimits.NONE);
        ObjectNode m = withPostinstall("1.1.0", "node setup.js");

        Registry.Published p =
                f.registry.publish("lib", RegistryFixture.body(m, RegistryFixture.tgz(m)), stolen);

        assertThat(p.stageId()).isNotNull();
        assertThat(f.document("lib").path("versions").has("1.1.0")).isFalse();
    }

    @Test
    void aQuarantinedReleaseIsRefusedToEveryReaderWithTheReasonAndTheWayOut() throws Exception {
        Registry.Published p = f.publish(withPostinstall("1.1.0", NETWORK_POSTINSTALL), alice);

        assertThat(p.stageId()).isNotNull();
        assertThat(p.notice())
                .isEqualTo(
                        "warden: lib@1.1.0 is quarantined by release review: postinstall fetches"
                                + " from a raw IP address [install-script-network]; a maintainer"
                                + " can release it with npm stage approve "
                                + p.stageId()
                                + " / appeal at http://registry.test/-/web/package/lib. It is"
                                + " staged as "
                                + p.stageId()
                                + " and installable by no one until approved");
        String refusal =
                "lib@1.1.0 is quarantined by release review: postinstall fetches from a raw IP"
                        + " address [install-script-network]; a maintainer can release it with npm"
                        + " stage approve "
                        + p.stageId()
                        + " / appeal at http://registry.test/-/web/package/lib";
        assertThat(f.document("lib").path("versions").has("1.1.0")).isFalse();
        for (Principal reader : new Principal[] {null, alice}) {
            assertThatThrownBy(() -> f.registry.tarball("lib", "lib-1.1.0.tgz", reader))
                    .isInstanceOf(Problem.class)
                    .hasMessage(refusal)
                    .extracting(e -> ((Problem) e).kind())
                    .isEqualTo(Problem.Kind.FORBIDDEN);
            assertThatThrownBy(() -> f.registry.version("lib", "1.1.0", reader))
                    .hasMessageStartingWith("lib@1.1.0 is quarantined by release review");
        }
        assertThat(statements("stage.quarantined")).hasSize(1);
        assertThat(statements("stage.created")).as("a quarantine is its own kind").isEmpty();
        assertThat(
                        statements("stage.quarantined")
                                .get(0)
                                .path("review")
                                .path("findings")
                                .get(0)
                                .asText())
                .isEqualTo("install-script-network");
        assertThat(told.stream().filter(c -> c.kind().equals("release.quarantined"))).hasSize(2);
        JsonNode restrictions = f.document("lib").path("policyRestrictions");
        assertThat(restrictions.path("versions").path("1.1.0").path("version").asText())
                .as("npm refuses it with the message instead of 'no matching version'")
                .isEqualTo("1.1.0");
        assertThat(restrictions.path("message").asText()).isEqualTo(refusal);

        f.registry.governance().approve(p.stageId(), bob);

        assertThat(f.document("lib").path("versions").has("1.1.0")).isTrue();
        assertThat(f.document("lib").has("policyRestrictions"))
                .as("a released version is not restricted")
                .isFalse();
        assertThat(f.registry.tarball("lib", "lib-1.1.0.tgz", null)).isPresent();
    }

    @Test
    void aNewPackageWhoseFirstReleaseIsQuarantinedAnswersWhyInsteadOfNotFound() throws Exception {
        ObjectNode m = RegistryFixture.manifest("fresh", "1.0.0");
        m.putObject("scripts").put("postinstall", NETWORK_POSTINSTALL);
        Registry.Published p = f.publish(m, alice);
        assertThat(p.stageId()).isNotNull();

        for (Principal reader : new Principal[] {null, alice, bob}) {
            assertThatThrownBy(() -> f.registry.packument("fresh", reader))
                    .isInstanceOf(Problem.class)
                    .hasMessage(
                            "fresh@1.0.0 is quarantined by release review: postinstall fetches"
                                    + " from a raw IP address [install-script-network]; a"
                                    + " maintainer can release it with npm stage approve "
                                    + p.stageId()
                                    + " / appeal at http://registry.test/-/web/package/fresh")
                    .extracting(e -> ((Problem) e).kind())
                    .isEqualTo(Problem.Kind.FORBIDDEN);
        }
        assertThat(f.registry.packument("never-published", null)).isEmpty();

        assertThatThrownBy(() -> f.registry.governance().approve(p.stageId(), bob))
                .as("nobody but its publisher could act on a new package")
                .hasMessage("you are not a maintainer of fresh");
        f.registry.governance().approve(p.stageId(), alice);
        assertThat(f.document("fresh").path("versions").has("1.0.0")).as("released").isTrue();
    }

    @Test
    void theStagerOfAQuarantinedFirstReleaseMayWithdrawIt() throws Exception {
        ObjectNode m = RegistryFixture.manifest("withdrawn", "1.0.0");
        m.putObject("scripts").put("postinstall", NETWORK_POSTINSTALL);
        Registry.Published p = f.publish(m, alice);

        f.registry.governance().reject(p.stageId(), alice);

        assertThat(f.registry.packument("withdrawn", null)).as("rejected: not there").isEmpty();
    }

    @Test
    void aQuarantinedFirstReleasePublishedRestrictedIsNotNamedToOthers() throws Exception {
        ObjectNode m = RegistryFixture.manifest("@alice/secret", "1.0.0");
        m.putObject("scripts").put("postinstall", NETWORK_POSTINSTALL);
        ObjectNode body = RegistryFixture.body(m, tgz(m, Map.of()));
        body.put("access", "restricted");
        assertThat(f.registry.publish("@alice/secret", body, alice).stageId()).isNotNull();

        assertThat(f.registry.packument("@alice/secret", null)).isEmpty();
        assertThat(f.registry.packument("@alice/secret", bob)).isEmpty();
        assertThat(f.registry.tarball("@alice/secret", "secret-1.0.0.tgz", bob))
                .as("nor its tarball")
                .isEmpty();
        assertThatThrownBy(() -> f.registry.packument("@alice/secret", alice))
                .as("its stager is told")
                .hasMessageStartingWith("@alice/secret@1.0.0 is quarantined by release review");
    }

    @Test
    void aRejectedQuarantineLeavesNoRestrictionBehind() throws Exception {
        Registry.Published p = f.publish(withPostinstall("1.1.0", NETWORK_POSTINSTALL), alice);
        assertThat(f.document("lib").has("policyRestrictions")).isTrue();

        f.registry.governance().reject(p.stageId(), bob);

        assertThat(f.document("lib").has("policyRestrictions")).isFalse();
        assertThat(f.registry.tarball("lib", "lib-1.1.0.tgz", null))
                .as("rejected: simply not there")
                .isEmpty();
    }

    @Test
    void aReviewThatFailsHoldsTheReleaseAndSaysSo() throws Exception {
        for (String broken : List.of("explode", "recurse")) {
            ObjectNode m = manifest(broken.equals("explode") ? "1.1.0" : "1.2.0");
            m.put("description", broken);

            Registry.Published p = f.publish(m, alice);

            assertThat(p.stageId()).as(broken).isNotNull();
            assertThat(p.notice())
                    .contains("the release review could not run")
                    .contains(
                            broken.equals("explode")
                                    ? "IllegalStateException"
                                    : "StackOverflowError");
            assertThat(f.registry.governance().view(p.stageId(), alice).path("findings").asText())
                    .startsWith("review-failed (high, hold)");
        }
    }

    @Test
    void theStricterPolicyOfAGovernedPackageHoldsWhatWouldOnlyFlagElsewhere() throws Exception {
        ObjectNode m = manifest("1.0.1");
        m.put("description", "an unusual client");
        assertThat(f.publish(m, alice).stageId()).as("ordinary: flagged, live").isNull();

        f.registry
                .governance()
                .setPolicy("lib", new GovernancePolicy("custom", 1, 0, "none"), alice);
        ObjectNode next = manifest("1.0.2");
        next.put("description", "an unusual client");
        Registry.Published p = f.publish(next, alice);

        assertThat(p.stageId()).isNotNull();
        assertThat(f.registry.governance().view(p.stageId(), bob).path("reviewPolicy").asText())
                .isEqualTo("strict");
        assertThat(f.registry.governance().view(p.stageId(), bob).path("reviewAction").asText())
                .isEqualTo("hold");
    }

    @Test
    void aPackagesOwnHoldThresholdHoldsWhatTheRegistryWouldOnlyFlag() throws Exception {
        f.registry.setPolicy(
                "lib",
                GovernancePolicy.SOLO.withReview(new ReviewThresholds(null, "medium", null)),
                alice);
        ObjectNode m = manifest("1.0.1");
        m.put("description", "an unusual client");

        Registry.Published p = f.publish(m, alice);

        assertThat(p.stageId()).as("held, not flagged").isNotNull();
        assertThat(p.notice()).contains("is held for maintainer approval");
        JsonNode view = f.registry.governance().view(p.stageId(), bob);
        assertThat(view.path("reviewPolicy").asText()).isEqualTo("default+package");
        assertThat(view.path("findings").asText())
                .startsWith("publisher-new-client (medium, hold)");
    }

    @Test
    void aPackagePolicyLaxerThanTheRegistrysIsRefusedAndChangesNothing() throws Exception {
        GovernancePolicy before = f.registry.governance().policy("lib");
        assertThatThrownBy(
                        () ->
                                f.registry.setPolicy(
                                        "lib",
                                        GovernancePolicy.SOLO.withReview(
                                                new ReviewThresholds(null, "critical", null)),
                                        alice))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("the registry's review.hold_at (\"high\")");
        assertThat(f.registry.governance().policy("lib")).isEqualTo(before);
        ObjectNode m = manifest("1.0.1");
        m.put("description", "an unusual client");
        assertThat(f.publish(m, alice).stageId()).as("still only flagged").isNull();
    }

    @Test
    void theSameNewFileInOtherPackagesIsCountedAcrossReleasesHeldOrLive() throws Exception {
        byte[] payload =
                "require('child_process'); // the same worm body\n"
                        .getBytes(StandardCharsets.UTF_8);
        String sha = Digests.hex(Digests.digest("SHA-256", payload));
        for (String pkg : List.of("first", "second", "third")) {
            ObjectNode m = RegistryFixture.manifest(pkg, "1.0.0");
            m.put("payloadSha256", sha);
            if (pkg.equals("second")) {
                m.putObject("scripts").put("postinstall", "node bundle.js"); // held, still counted
            }
            byte[] tgz = tgz(m, Map.of("bundle.js", payload));
            f.registry.publish(pkg, RegistryFixture.body(m, tgz), alice);
        }

        assertThat(wormCounts)
                .containsExactly(
                        Map.entry("first", 0), Map.entry("second", 1), Map.entry("third", 2));
    }

    @Test
    void hugeOrBinaryOrInvalidUtf8TarballsNeverCrashThePublish() throws Exception {
        f.close();
        f =
                new RegistryFixture(
                        java.nio.file.Files.createDirectories(dir.resolve("real")),
                        Wiring.none().withReview(ReviewSetup.defaults())); // the real reviewer
        Principal carol = f.user("carol");
        ObjectNode m = RegistryFixture.manifest("odd", "1.0.0");
        byte[] invalidUtf8 = {
            (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 'a', '\n', (byte) 0x80
        };
        byte[] big = new byte[9 << 20]; // past the review's 8 MiB per file; zeros compress well
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        byte[] tgz =
                tgz(
                        m,
                        Map.of(
                                "lib/bad.js",
                                invalidUtf8,
                                "data/big.bin",
                                big,
                                "native.node",
                                binary));

        Registry.Published p = f.registry.publish("odd", RegistryFixture.body(m, tgz), carol);

        if (p.stageId() == null) {
            assertThat(f.document("odd").path("versions").has("1.0.0")).isTrue();
        } else {
            assertThat(p.notice()).as("a held release names why").isNotBlank();
        }
    }

    /** A package tarball with package.json and {@code files} under {@code package/}. */
    static byte[] tgz(ObjectNode manifest, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            Map<String, byte[]> all = new LinkedHashMap<>();
            all.put("package.json", RegistryFixture.JSON.writeValueAsBytes(manifest));
            all.putAll(files);
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry("package/" + e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
