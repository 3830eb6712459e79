package dev.warden.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

class DependencyLookalikeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An ecosystem where only these packages exist and these names are popular. */
    private record Known(Set<String> existing, List<String> popular) implements Ecosystem {
        static final List<String> BROKEN = List.of("broken");

        @Override
        public boolean exists(String name) {
            return existing.contains(name);
        }

        @Override
        public Optional<Instant> created(String name) {
            return Optional.empty();
        }

        @Override
        public int dependents(String name) {
            return 0;
        }

        @Override
        public List<String> popularNames() {
            if (popular == BROKEN) {
                throw new IllegalStateException("store closed");
            }
            return popular;
        }

        @Override
        public int packagesPublishedBy(String user, Instant since) {
            return 0;
        }

        @Override
        public int otherPackagesWithNewFile(String sha256Hex, String pkg, Duration window) {
            return 0;
        }
    }

    private final Reviewer reviewer =
            new Reviewer(
                    ReviewSettings.DEFAULTS,
                    new Known(Set.of("cross-env", "lodash"), List.of("cross-env", "lodash")));

    private static final String V1 =
            """
            {
              "name": "app",
              "version": "1.0.0",
              "dependencies": {
                "lodash": "^4.17.21"
              }
            }
            """;

    private static final String V2_CROSSENV =
            """
            {
              "name": "app",
              "version": "1.0.1",
              "dependencies": {
                "lodash": "^4.17.21",
                "crossenv": "^1.0.0"
              }
            }
            """;

    @Test
    void aNewDependencyOneSeparatorFromAPopularOneIsHigh() throws IOException {
        Findings f = reviewer.examine(subject(V2_CROSSENV, V1));
        assertThat(lookalikes(f)).hasSize(1);
        Finding finding = lookalikes(f).get(0);
        assertThat(finding.id()).isEqualTo("dependency-lookalike");
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.summary())
                .isEqualTo(
                        "new dependency crossenv: crossenv is one separator away from the popular"
                                + " package cross-env; no package of that name is on this"
                                + " registry");
        Evidence e = finding.evidence().get(0);
        assertThat(e.file()).isEqualTo("package.json");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.excerpt()).isEqualTo("\"crossenv\": \"^1.0.0\"");
        byte[] text = V2_CROSSENV.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(text, (int) e.offset(), e.length(), StandardCharsets.UTF_8))
                .isEqualTo("    \"crossenv\": \"^1.0.0\"");
    }

    @Test
    void aDependencyTheLastReleaseHadIsNotNew() throws IOException {
        assertThat(reviewer.examine(subject(V2_CROSSENV, V2_CROSSENV)).findings()).isEmpty();
    }

    @Test
    void aNewDependencyOnAPopularPackageIsNothing() throws IOException {
        String v2 = V1.replace("\"lodash\": \"^4.17.21\"", "\"cross-env\": \"^7.0.0\"");
        assertThat(lookalikes(reviewer.examine(subject(v2, V1)))).isEmpty();
    }

    @Test
    void anAliasIsJudgedByThePackageItInstalls() throws IOException {
        String v2 =
                V1.replace(
                        "\"lodash\": \"^4.17.21\"",
                        "\"lodash\": \"^4.17.21\",\n    \"utils\": \"npm:lodahs@^1.0.0\"");
        Findings f = reviewer.examine(subject(v2, V1));
        assertThat(lookalikes(f))
                .extracting(Finding::summary)
                .singleElement()
                .asString()
                .startsWith("new dependency lodahs: lodahs swaps two adjacent characters of");
        assertThat(lookalikes(f).get(0).evidence().get(0).excerpt())
                .isEqualTo("\"utils\": \"npm:lodahs@^1.0.0\"");
    }

    @Test
    void theFirstReleaseHasEveryDependencyNew() throws IOException {
        Findings f = reviewer.examine(subject(V2_CROSSENV, null));
        assertThat(lookalikes(f))
                .extracting(Finding::summary)
                .singleElement()
                .asString()
                .contains("crossenv");
    }

    @Test
    void devDependenciesAreNotInstalledByDependentsAndNotLookedAt() throws IOException {
        String v2 =
                V1.replace(
                        "\"dependencies\"",
                        "\"devDependencies\": {\"crossenv\": \"1\"},\n  \"dependencies\"");
        assertThat(reviewer.examine(subject(v2, V1)).findings()).isEmpty();
    }

    @Test
    void anEcosystemThatFailsIsReportedNotSkipped() throws IOException {
        Ecosystem broken = new Known(Set.of(), Known.BROKEN);
        Findings f =
                new Reviewer(ReviewSettings.DEFAULTS, broken).examine(subject(V2_CROSSENV, V1));
        assertThat(lookalikes(f)).isEmpty();
        assertThat(f.notComputed())
                .containsExactly(
                        "dependency-lookalike: java.lang.IllegalStateException: store closed");
    }

    /** This check's findings; the other detectors (missing, unused dependencies) are theirs. */
    private static List<Finding> lookalikes(Findings f) {
        return f.findings().stream().filter(x -> x.id().equals(DependencyLookalike.ID)).toList();
    }

    private static Subject subject(String manifest, String previous) throws IOException {
        JsonNode m = JSON.readTree(manifest);
        Subject.Previous prev =
                previous == null
                        ? null
                        : new Subject.Previous(
                                "1.0.0", tgz(previous), JSON.readTree(previous), false, false, "a");
        return new Subject(
                "app",
                m.path("version").asText(),
                tgz(manifest),
                m,
                prev,
                "1.0.0",
                new Subject.Publisher(
                        "alice", false, true, false, false, null, null, false, null, false),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static byte[] tgz(String packageJson) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            byte[] bytes = packageJson.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("package/package.json");
            e.setSize(bytes.length);
            tar.putArchiveEntry(e);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }
}
