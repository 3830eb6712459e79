package dev.warden.verify.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.verify.lockfile.LockedPackage;
import dev.warden.verify.lockfile.SourceKind;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.PackageResult;
import dev.warden.verify.report.Status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;

class PolicyTest {

    /** The issue's example, whole. */
    static final String ISSUE_EXAMPLE =
            """
            [provenance]
            require = ["@acme/*", "left-pad"]        # name patterns that must carry verified provenance
            [[source]]
            packages = "@acme/*"                     # name pattern
            repository = "github.com/acme/monorepo"  # the repository its provenance must name
            workflow = ".github/workflows/release.yml"   # optional
            [age]
            minimum_days = 3
            exclude = ["@acme/*"]
            [scripts]
            allow = ["esbuild"]                      # packages whose install scripts may run; others fail
            [sources]
            allow = ["registry"]                     # also "git", "url", "file"
            [[exception]]
            package = "left-pad@1.3.0"
            reason = "vendored fix"
            expires = 2027-01-31
            """;

    static final LocalDate BEFORE_EXPIRY = LocalDate.of(2027, 1, 30);

    @Test
    void theIssuesExampleReadsAsItSays() throws Exception {
        Policy p = Policy.parse(ISSUE_EXAMPLE, "warden-policy.toml");

        assertThat(p.origin()).isEqualTo("warden-policy.toml");
        assertThat(p.provenanceRequired("@acme/core")).isTrue();
        assertThat(p.provenanceRequired("left-pad")).isTrue();
        assertThat(p.provenanceRequired("left-pads")).isFalse();
        assertThat(p.provenanceRequired("@acmex/core")).isFalse();
        assertThat(p.sourcePin("@acme/core"))
                .contains(
                        new SourcePin(
                                "@acme/*",
                                "github.com/acme/monorepo",
                                ".github/workflows/release.yml",
                                null));
        assertThat(p.sourcePin("left-pad")).isEmpty();
        assertThat(p.minimumAge("lodash")).contains(Duration.ofDays(3));
        assertThat(p.minimumAge("@acme/core")).isEmpty();
        assertThat(p.scriptsAllowed("esbuild")).isTrue();
        assertThat(p.scriptsAllowed("core-js")).isFalse();
        assertThat(p.sourceAllowed(SourceKind.REGISTRY)).isTrue();
        assertThat(p.sourceAllowed(SourceKind.GIT)).isFalse();
        assertThat(p.sourceAllowed(SourceKind.URL)).isFalse();
        assertThat(p.sourceAllowed(SourceKind.FILE)).isFalse();
        assertThat(p.sourceAllowed(SourceKind.LINK)).isTrue();
        assertThat(p.waiver("left-pad", "1.3.0", BEFORE_EXPIRY))
                .contains(new Waiver("left-pad@1.3.0", "vendored fix", LocalDate.of(2027, 1, 31)));
        assertThat(p.waiver("left-pad", "1.3.1", BEFORE_EXPIRY)).isEmpty();
        assertThat(p.allowedIssuers()).isEmpty();
        assertThat(p.registries()).isEmpty();
    }

    @Test
    void withNoPolicyNothingIsRequiredAndEverythingIsAllowed() {
        Policy p = Policy.defaults();

        assertThat(p.origin()).isEqualTo("default");
        assertThat(p.provenanceRequired("left-pad")).isFalse();
        assertThat(p.allowedIssuers()).isEmpty();
        assertThat(p.sourcePin("left-pad")).isEmpty();
        assertThat(p.minimumAge("left-pad")).isEmpty();
        assertThat(p.scriptsAllowed("esbuild")).isTrue();
        for (SourceKind kind : SourceKind.values()) {
            assertThat(p.sourceAllowed(kind)).as(kind.name()).isTrue();
        }
        assertThat(p.waiver("left-pad", "1.3.0", BEFORE_EXPIRY)).isEmpty();
        assertThat(p.expired(BEFORE_EXPIRY)).isEmpty();
        assertThat(p.registries()).isEmpty();
    }

    @Test
    void anEmptyFileIsTheDefaultsUnderItsOwnName() throws Exception {
        Policy p = Policy.parse("# nothing yet\n", "empty.toml");

        assertThat(p.origin()).isEqualTo("empty.toml");
        assertThat(p.scriptsAllowed("anything")).isTrue();
        assertThat(p.sourceAllowed(SourceKind.GIT)).isTrue();
    }

    @Test
    void issuersAreListedAsWritten() throws Exception {
        Policy p =
                Policy.parse(
                        """
                        [provenance]
                        issuers = ["https://token.actions.githubusercontent.com", "https://gitlab.com"]
                        """,
                        "p.toml");

        assertThat(p.allowedIssuers())
                .containsExactly(
                        "https://token.actions.githubusercontent.com", "https://gitlab.com");
        assertThat(p.provenanceRequired("x")).isFalse();
    }

    @Test
    void theFirstMatchingSourceWinsAndBuilderIsRead() throws Exception {
        Policy p =
                Policy.parse(
                        """
                        [[source]]
                        packages = "@acme/cli"
                        repository = "github.com/acme/cli"
                        builder = "https://github.com/actions/runner/github-hosted"
                        [[source]]
                        packages = "@acme/*"
                        repository = "github.com/acme/monorepo"
                        """,
                        "p.toml");

        assertThat(p.sourcePin("@acme/cli"))
                .contains(
                        new SourcePin(
                                "@acme/cli",
                                "github.com/acme/cli",
                                null,
                                "https://github.com/actions/runner/github-hosted"));
        assertThat(p.sourcePin("@acme/core").orElseThrow().repository())
                .isEqualTo("github.com/acme/monorepo");
    }

    @Test
    void minimumHoursIsTheAlternativeToDaysAndZeroMeansNone() throws Exception {
        assertThat(Policy.parse("[age]\nminimum_hours = 12\n", "p").minimumAge("x"))
                .contains(Duration.ofHours(12));
        assertThat(Policy.parse("[age]\nminimum_days = 0\n", "p").minimumAge("x")).isEmpty();
        assertThat(Policy.parse("[age]\nexclude = [\"x\"]\n", "p").minimumAge("y")).isEmpty();
    }

    @Test
    void anEmptyScriptsAllowListDeniesEveryScript() throws Exception {
        Policy p = Policy.parse("[scripts]\nallow = []\n", "p");

        assertThat(p.scriptsAllowed("esbuild")).isFalse();
    }

    @Test
    void sourcesAllowEachKind() throws Exception {
        Policy p = Policy.parse("[sources]\nallow = [\"git\", \"url\", \"file\"]\n", "p");

        assertThat(p.sourceAllowed(SourceKind.REGISTRY)).isFalse();
        assertThat(p.sourceAllowed(SourceKind.GIT)).isTrue();
        assertThat(p.sourceAllowed(SourceKind.URL)).isTrue();
        assertThat(p.sourceAllowed(SourceKind.FILE)).isTrue();
        assertThat(p.sourceAllowed(SourceKind.LINK)).isTrue();
    }

    @Test
    void anExceptionNamesAVersionAPackageOrAPattern() throws Exception {
        Policy p =
                Policy.parse(
                        """
                        [[exception]]
                        package = "left-pad@1.3.0"
                        reason = "one version"
                        expires = 2027-01-31
                        [[exception]]
                        package = "lodash"
                        reason = "every version"
                        expires = 2027-01-31
                        [[exception]]
                        package = "@legacy/*"
                        reason = "a scope"
                        expires = 2027-01-31
                        [[exception]]
                        package = "@scoped/name@2.0.0-beta.1"
                        reason = "a scoped version"
                        expires = 2027-01-31
                        """,
                        "p");

        assertThat(p.waiver("left-pad", "1.3.0", BEFORE_EXPIRY).map(Waiver::reason))
                .contains("one version");
        assertThat(p.waiver("left-pad", "1.3.1", BEFORE_EXPIRY)).isEmpty();
        assertThat(p.waiver("lodash", "4.17.21", BEFORE_EXPIRY).map(Waiver::reason))
                .contains("every version");
        assertThat(p.waiver("@legacy/a", "0.0.1", BEFORE_EXPIRY).map(Waiver::reason))
                .contains("a scope");
        assertThat(p.waiver("@scoped/name", "2.0.0-beta.1", BEFORE_EXPIRY).map(Waiver::reason))
                .contains("a scoped version");
        assertThat(p.waiver("@scoped/name", "2.0.0", BEFORE_EXPIRY)).isEmpty();
    }

    @Test
    void anExceptionWaivesThroughItsExpiryDayAndIsListedAsExpiredAfter() throws Exception {
        Policy p = Policy.parse(ISSUE_EXAMPLE, "p");
        LocalDate lastDay = LocalDate.of(2027, 1, 31);

        assertThat(p.waiver("left-pad", "1.3.0", lastDay)).isPresent();
        assertThat(p.expired(lastDay)).isEmpty();
        assertThat(p.waiver("left-pad", "1.3.0", lastDay.plusDays(1))).isEmpty();
        assertThat(p.expired(lastDay.plusDays(1)))
                .containsExactly(new Waiver("left-pad@1.3.0", "vendored fix", lastDay));
    }

    @Test
    void aWaiverTurnsFailuresIntoWaivedAndLeavesPassAndInfo() throws Exception {
        Policy p = Policy.parse(ISSUE_EXAMPLE, "p");
        LockedPackage pkg = pkg("left-pad", "1.3.0");
        List<Finding> findings =
                List.of(
                        Finding.pass(Check.INTEGRITY, "sha512 matches"),
                        Finding.info(Check.PROVENANCE, "no provenance"),
                        Finding.fail(Check.SCRIPTS, "runs postinstall; not allowed"));

        PackageResult r = p.judge(pkg, findings, BEFORE_EXPIRY);

        assertThat(r.waiver()).isEqualTo("vendored fix");
        assertThat(r.findings())
                .extracting(Finding::status)
                .containsExactly(Status.PASS, Status.INFO, Status.WAIVED);
        assertThat(r.findings().get(2).message()).isEqualTo("runs postinstall; not allowed");
        assertThat(r.status()).isEqualTo(Status.WAIVED);
    }

    @Test
    void aPassingPackageCarriesNoWaiverAndAnExpiredOneWaivesNothing() throws Exception {
        Policy p = Policy.parse(ISSUE_EXAMPLE, "p");
        LockedPackage pkg = pkg("left-pad", "1.3.0");

        PackageResult passing =
                p.judge(pkg, List.of(Finding.pass(Check.INTEGRITY, "ok")), BEFORE_EXPIRY);
        PackageResult afterExpiry =
                p.judge(
                        pkg,
                        List.of(Finding.fail(Check.SCRIPTS, "not allowed")),
                        LocalDate.of(2027, 2, 1));

        assertThat(passing.waiver()).isNull();
        assertThat(passing.status()).isEqualTo(Status.PASS);
        assertThat(afterExpiry.waiver()).isNull();
        assertThat(afterExpiry.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aRegistryIsPinnedWithKeysAndATufRootBesideThePolicy(@TempDir Path dir) throws Exception {
        String key = ecKey();
        Files.createDirectories(dir.resolve("trust"));
        Files.writeString(dir.resolve("trust/root.json"), "{}");
        Path file = dir.resolve("warden-policy.toml");
        Files.writeString(
                file,
                """
                [[registry]]
                url = "https://registry.example.invalid/"
                keys = [{ keyid = "SHA256:abc", key = "%s" }]
                tuf_root = "trust/root.json"
                [[registry]]
                url = "http://203.0.113.7:4873"
                """
                        .formatted(key));

        Policy p = Policy.load(file);

        assertThat(p.origin()).isEqualTo(file.toString());
        assertThat(p.registries()).hasSize(2);
        RegistryPin pin = p.registries().getFirst();
        assertThat(pin.url()).isEqualTo("https://registry.example.invalid/");
        assertThat(pin.uri()).isEqualTo(URI.create("https://registry.example.invalid/"));
        assertThat(pin.keys()).containsExactly(new RegistryPin.Key("SHA256:abc", key));
        assertThat(pin.tufRoot()).isEqualTo(dir.resolve("trust/root.json"));
        assertThat(p.registries().get(1).keys()).isEmpty();
        assertThat(p.registries().get(1).tufRoot()).isNull();
        assertThat(p.registry(URI.create("HTTPS://Registry.example.invalid"))).contains(pin);
        assertThat(p.registry(URI.create("https://other.invalid/"))).isEmpty();
    }

    @Test
    void sourcePinsCompareRepositoryWorkflowAndBuilderAsDocumented() {
        SourcePin pin =
                new SourcePin(
                        "@acme/*",
                        "github.com/acme/monorepo",
                        ".github/workflows/release.yml",
                        "https://github.com/actions/runner/github-hosted");

        assertThat(pin.repositoryMatches("https://github.com/acme/monorepo")).isTrue();
        assertThat(pin.repositoryMatches("https://GitHub.com/acme/monorepo.git/")).isTrue();
        assertThat(pin.repositoryMatches("https://github.com/acme/monorepo-fork")).isFalse();
        assertThat(pin.repositoryMatches("https://github.com/Acme/monorepo")).isFalse();
        assertThat(
                        pin.workflowMatches(
                                "https://github.com/acme/monorepo/.github/workflows/release.yml@refs/tags/v1.0.0"))
                .isTrue();
        assertThat(
                        pin.workflowMatches(
                                "https://github.com/acme/monorepo/.github/workflows/other.yml@refs/heads/main"))
                .isFalse();
        assertThat(
                        pin.workflowMatches(
                                "https://github.com/evil/monorepo/.github/workflows/release.yml@refs/heads/main"))
                .isFalse();
        assertThat(pin.builderMatches("https://github.com/actions/runner/github-hosted")).isTrue();
        assertThat(pin.builderMatches("https://github.com/actions/runner/self-hosted")).isFalse();
        assertThat(new SourcePin("x", "github.com/a/b", null, null).workflowMatches(null)).isTrue();
    }

    static LockedPackage pkg(String name, String version) {
        return new LockedPackage(
                name,
                version,
                SourceKind.REGISTRY,
                "https://registry.example.invalid/" + name + "/-/" + name + "-" + version + ".tgz",
                "sha512-AAAA",
                false,
                List.of("node_modules/" + name));
    }

    static String ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
    }
}
