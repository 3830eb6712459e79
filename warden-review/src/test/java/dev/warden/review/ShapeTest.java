package dev.warden.review;

import static dev.warden.review.Reviews.find;
import static dev.warden.review.Reviews.review;
import static dev.warden.review.Reviews.the;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShapeTest {

    private static final Pkg LIB = Pkg.of("1.0.0").file("index.js", "module.exports = 1;\n");

    static byte[] elf() {
        byte[] b = new byte[256];
        b[0] = 0x7F;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        return b;
    }

    @Test
    void elfExecutableAddedIsMediumWhateverItsName() {
        Finding f = the(review(LIB, LIB.next("1.0.1").file("lib/helper", elf())), "binary-added");

        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence().get(0).file()).isEqualTo("lib/helper");
        assertThat(f.evidence().get(0).excerpt()).isEqualTo("ELF");
    }

    @Test
    void prebuiltAddonAlreadyShippedIsNotNew() {
        Pkg a = LIB.next("1.0.1").file("prebuilds/linux-x64/addon.node", elf());
        byte[] rebuilt = elf();
        rebuilt[100] = 1;
        Pkg b = a.next("1.0.2").file("prebuilds/linux-x64/addon.node", rebuilt);

        assertThat(find(review(a, b), "binary-added")).isEmpty();
    }

    @Test
    void zipInsideThePackageIsAnArchive() {
        byte[] zip = {'P', 'K', 3, 4, 0, 0, 0, 0};
        assertThat(
                        the(review(LIB, LIB.next("1.0.1").file("data.bin", zip)), "archive-added")
                                .severity())
                .isEqualTo(Severity.LOW);
    }

    @Test
    void fiveTimesTheSizeIsASizeChange() {
        Pkg big = LIB.next("1.0.1").file("blob.txt", "x".repeat(400_000));
        Pkg small = LIB.next("1.0.0").file("blob.txt", "x".repeat(70_000));

        assertThat(the(review(small, big), "size-change").summary()).contains("files");
    }

    @Test
    void latestMovingBackwardsIsMedium() {
        Pkg two = LIB.next("2.0.0");
        Subject s =
                new Subject(
                        "widget",
                        "1.9.9",
                        LIB.next("1.9.9").tarball(),
                        LIB.next("1.9.9").manifest,
                        two.asPrevious(),
                        "2.0.0",
                        Pkg.alice(),
                        Pkg.NOW);

        Findings f = new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem()).examine(s);

        assertThat(the(f, "latest-moves-backwards").summary()).contains("2.0.0").contains("1.9.9");
    }

    @Test
    void aBackportUnderAnotherTagIsNotLatestMovingBackwards() {
        Pkg two = LIB.next("2.0.0");
        Subject s =
                new Subject(
                        "widget",
                        "1.9.9",
                        LIB.next("1.9.9").tarball(),
                        LIB.next("1.9.9").manifest,
                        two.asPrevious(),
                        "2.0.0",
                        Pkg.alice(),
                        Pkg.NOW,
                        "v1");

        Findings f = new Reviewer(ReviewSettings.DEFAULTS, new FakeEcosystem()).examine(s);

        assertThat(find(f, "latest-moves-backwards")).isEmpty();
    }
}
