package dev.warden.verify.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What a terminal shows after each carriage return. */
    private List<String> frames() {
        return Arrays.stream(written().split("\r")).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void disabledItWritesNothing() {
        Progress p = Progress.start(err, false, 3);
        p.begin("a@1.0.0");
        p.step();
        p.finish();

        assertThat(bytes.size()).isZero();
    }

    @Test
    void itRedrawsInPlaceWithCountsAndThePackageAndClearsItsLine() {
        Progress p = Progress.start(err, true, 4);
        p.begin("left-pad@1.3.0");
        p.step();
        p.begin("@acme/core@3.1.4");
        p.step();
        p.step();
        p.step();
        String beforeFinish = written();
        p.finish();

        assertThat(beforeFinish).doesNotContain("\n").startsWith("\r[--------------------] 0/4");
        assertThat(frames())
                .anyMatch(f -> f.startsWith("[#####---------------] 1/4 left-pad@1.3.0"));
        assertThat(frames())
                .anyMatch(f -> f.startsWith("[####################] 4/4 @acme/core@3.1.4"));
        assertThat(written()).endsWith("\r");
        assertThat(frames().getLast()).isBlank();
        assertThat(frames()).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(79));
    }

    @Test
    void aStepCanNameThePackageToShow() {
        Progress p = Progress.start(err, true, 2);
        p.step("a@1.0.0");
        p.step("b@2.0.0");

        assertThat(frames().get(1)).startsWith("[##########----------] 1/2 a@1.0.0");
        assertThat(frames().get(2)).startsWith("[####################] 2/2 b@2.0.0");
    }

    @Test
    void afterFinishNothingIsDrawn() {
        Progress p = Progress.start(err, true, 2);
        p.finish();
        int size = bytes.size();
        p.step();
        p.finish();

        assertThat(bytes.size()).isEqualTo(size);
    }

    @Test
    void aLongNameIsCutSoTheLineNeverWraps() {
        Progress p = Progress.start(err, true, 1);
        p.begin("@" + "s".repeat(100) + "/" + "n".repeat(100) + "@1.0.0");
        p.step();

        assertThat(frames()).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(79));
        assertThat(frames().getLast()).endsWith("…");
    }

    @Test
    void aLargeRunRedrawsAboutAThousandTimesNotOncePerPackage() {
        int total = 100_000;
        Progress p = Progress.start(err, true, total);
        for (int i = 0; i < total; i++) {
            p.step();
        }

        assertThat(frames()).hasSizeBetween(1000, 1002);
        assertThat(frames().getLast()).startsWith("[####################] 100000/100000");
    }

    @Test
    void stepsFromManyThreadsAreAllCounted() throws Exception {
        int total = 2000;
        Progress p = Progress.start(err, true, total);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < total; i++) {
                int n = i;
                pool.submit(
                        () -> {
                            p.begin("p" + n + "@1.0.0");
                            p.step();
                        });
            }
        }

        assertThat(frames().getLast()).contains(" " + total + "/" + total);
    }

    @Test
    void escapeSequencesInANameAreNotDrawn() {
        Progress p = Progress.start(err, true, 1);
        p.begin("evil\u001b[2J@1.0.0");
        p.step();

        assertThat(written()).doesNotContain("\u001b").contains("evil?[2J@1.0.0");
    }
}
