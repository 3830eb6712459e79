package dev.warden.review;

import static dev.warden.review.Reviews.ids;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tarballs that are huge, nested, crowded, binary or broken: bounded, reported, never thrown. */
class BadInputTest {

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", "module.exports = 1;\n");

    private static Findings examine(ReviewSettings settings, byte[] tarball) {
        Subject s =
                new Subject(
                        "widget",
                        "1.0.1",
                        tarball,
                        LIB.manifest,
                        LIB.asPrevious(),
                        "1.0.0",
                        Pkg.alice(),
                        Pkg.NOW);
        return new Reviewer(settings, new FakeEcosystem()).examine(s);
    }

    @Test
    void fileOverThePerFileLimitIsReadInPartAndStillAnalysed() {
        String big = "require('child_process');\n" + "x".repeat(50_000);
        Findings f =
                examine(
                        new ReviewSettings(1 << 20, 100, 10_000),
                        LIB.next("1.0.1").file("index.js", big).tarball());

        assertThat(f.notComputed()).anyMatch(n -> n.contains("max file bytes"));
        assertThat(f.findings()).anyMatch(x -> x.id().equals("child-process"));
    }

    @Test
    void releaseOverTheUnpackedLimitIsNamed() {
        Pkg p = LIB.next("1.0.1");
        for (int i = 0; i < 10; i++) {
            p.file("f" + i + ".txt", "y".repeat(5000));
        }
        Findings f = examine(new ReviewSettings(20_000, 100, 10_000), p.tarball());

        assertThat(f.notComputed())
                .anyMatch(n -> n.startsWith("release: ") && n.contains("max unpacked bytes"));
    }

    @Test
    void manyTinyFilesStopAtTheFileLimit() {
        Pkg p = LIB.next("1.0.1");
        for (int i = 0; i < 3000; i++) {
            p.file("t/" + i + ".js", "1");
        }
        Findings f = examine(new ReviewSettings(1 << 20, 1000, 10_000), p.tarball());

        assertThat(f.notComputed()).anyMatch(n -> n.contains("more than 1000 files (max files)"));
    }

    @Test
    void deeplyNestedFilesAreSkippedAndNamed() {
        String deep = "a/".repeat(100) + "x.js";
        Findings f =
                examine(
                        ReviewSettings.DEFAULTS,
                        LIB.next("1.0.1").file(deep, "require('child_process')").tarball());

        assertThat(f.notComputed())
                .anyMatch(n -> n.contains("nested deeper than 32 folders (max depth)"));
        assertThat(f.findings()).noneMatch(x -> x.id().equals("child-process"));
    }

    @Test
    void longPathsAreSkippedAndNamed() {
        String name = "p".repeat(2000) + ".js";
        Findings f = examine(ReviewSettings.DEFAULTS, LIB.next("1.0.1").file(name, "1").tarball());

        assertThat(f.notComputed()).anyMatch(n -> n.contains("max path length"));
    }

    @Test
    void truncatedGzipKeepsWhatWasReadAndSaysSo() {
        Pkg p = LIB.next("1.0.1").file("a.js", "require('child_process');\n");
        for (int i = 0; i < 50; i++) {
            p.file("pad" + i + ".bin", randomish(i));
        }
        byte[] whole = p.tarball();
        Findings f = examine(ReviewSettings.DEFAULTS, Arrays.copyOf(whole, whole.length / 2));

        assertThat(f.notComputed())
                .as("%s", f.notComputed())
                .anyMatch(n -> n.contains("unreadable tarball"));
        assertThat(f.findings())
                .as("%s", ids(f.findings()))
                .anyMatch(x -> x.id().equals("child-process"));
    }

    @Test
    void notGzipAtAllIsReportedNotThrown() {
        Findings f =
                examine(
                        ReviewSettings.DEFAULTS,
                        "this is not a tarball".getBytes(StandardCharsets.UTF_8));

        assertThat(f.notComputed()).anyMatch(n -> n.startsWith("release: an unreadable tarball"));
    }

    @Test
    void gzipBombStopsAtTheInflationCap() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            TarArchiveEntry e = new TarArchiveEntry("package/zeros.bin");
            e.setSize(64L << 20);
            tar.putArchiveEntry(e);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        }
        Findings f = examine(new ReviewSettings(1 << 20, 100, 1 << 20), out.toByteArray());

        assertThat(f.notComputed())
                .as("%s", f.notComputed())
                .anyMatch(n -> n.contains("inflating past 2097152 bytes"));
    }

    @Test
    void binaryAndInvalidUtf8FilesAreHandled() {
        byte[] latin1 =
                "var s = 'caf\u00e9 cr\u00e8me';\nrequire('child_process');\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
        byte[] noise = randomish(3);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package.json", LIB.manifest.toString().getBytes(StandardCharsets.UTF_8));
        files.put("latin1.js", latin1);
        files.put("noise.js", noise);
        Findings f = examine(ReviewSettings.DEFAULTS, Pkg.tar(files, "package/"));

        assertThat(f.notComputed()).isEmpty();
        Finding cp =
                f.findings().stream()
                        .filter(x -> x.id().equals("child-process"))
                        .findFirst()
                        .orElseThrow();
        assertThat(cp.evidence().get(0).file()).isEqualTo("latin1.js");
    }

    @Test
    void excerptsEscapeControlCharactersAndStayShort() {
        byte[] data = ("x\u0001y\u202Ez" + "w".repeat(400)).getBytes(StandardCharsets.UTF_8);
        String e = Excerpts.around(data, 0, 300);

        assertThat(e)
                .startsWith("x\\x01y\\u{202E}z")
                .hasSizeLessThanOrEqualTo(Evidence.MAX_EXCERPT);
    }

    @Test
    void aDetectorThatFailsIsNamedAndTheOthersStillRun() {
        Ecosystem broken =
                new FakeEcosystem() {
                    @Override
                    public boolean exists(String name) {
                        throw new IllegalStateException("store closed");
                    }
                };
        Pkg next = LIB.next("1.0.1").dep("x", "^1.0.0").script("postinstall", "node a.js");
        Findings f = new Reviewer(ReviewSettings.DEFAULTS, broken).examine(next.release(LIB));

        assertThat(f.notComputed())
                .containsExactly("new-dependencies: java.lang.IllegalStateException: store closed");
        assertThat(f.findings().stream().map(Finding::id)).contains("install-script-added");
    }

    @Test
    void limitsMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReviewSettings(0, 1, 1))
                .hasMessageContaining("maxUnpackedBytes=0");
    }

    private static byte[] randomish(int seed) {
        byte[] b = new byte[4096];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
