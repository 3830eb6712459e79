package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.warden.common.Problem;
import dev.warden.web.Highlight.Token;
import dev.warden.web.ReleaseDiff.FileChange;
import dev.warden.web.ReleaseDiff.Hunk;
import dev.warden.web.ReleaseDiff.Kind;
import dev.warden.web.ReleaseDiff.Line;
import dev.warden.web.ReleaseDiff.LineKind;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

class ReleaseDiffTest {

    private static String text(Line line) {
        return line.tokens().stream().map(Token::text).collect(Collectors.joining());
    }

    private static String numbered(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(i -> "line " + i + "\n")
                .collect(Collectors.joining());
    }

    private static FileChange file(ReleaseDiff diff, String path) {
        return diff.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void aFirstReleaseIsAllAdded() {
        var diff = ReleaseDiff.between(null, new Tarballs().file("index.js", "a\nb\n").stream());
        assertThat(diff.truncated()).isFalse();
        FileChange index = diff.files().getFirst();
        assertThat(index.path()).isEqualTo("index.js");
        assertThat(index.kind()).isEqualTo(Kind.ADDED);
        assertThat(index.language()).isEqualTo("js");
        assertThat(index.sizeBefore()).isZero();
        assertThat(index.sizeAfter()).isEqualTo(4);
        Hunk hunk = index.hunks().getFirst();
        assertThat(List.of(hunk.oldStart(), hunk.oldLines(), hunk.newStart(), hunk.newLines()))
                .containsExactly(0, 0, 1, 2);
        assertThat(hunk.lines())
                .extracting(Line::kind, Line::oldNumber, Line::newNumber, ReleaseDiffTest::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LineKind.ADDED, 0, 1, "a"),
                        org.assertj.core.groups.Tuple.tuple(LineKind.ADDED, 0, 2, "b"));
    }

    @Test
    void filesArePairedByPathAndSorted() {
        var before =
                new Tarballs()
                                .file("same.txt", "x\n")
                                .file("gone.txt", "bye\n")
                                .file("lib/a.js", "let a = 1;\n")
                                .stream();
        var after =
                new Tarballs()
                                .file("lib/a.js", "let a = 2;\n")
                                .file("same.txt", "x\n")
                                .file("new.md", "# hi\n")
                                .stream();
        var diff = ReleaseDiff.between(before, after);
        assertThat(diff.files())
                .extracting(FileChange::path, FileChange::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gone.txt", Kind.REMOVED),
                        org.assertj.core.groups.Tuple.tuple("lib/a.js", Kind.CHANGED),
                        org.assertj.core.groups.Tuple.tuple("new.md", Kind.ADDED),
                        org.assertj.core.groups.Tuple.tuple("same.txt", Kind.UNCHANGED));
        assertThat(file(diff, "same.txt").hunks()).isEmpty();
        assertThat(file(diff, "gone.txt").hunks().getFirst().lines())
                .extracting(Line::kind, Line::oldNumber, Line::newNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LineKind.REMOVED, 1, 0));
        var changed = file(diff, "lib/a.js").hunks().getFirst().lines();
        assertThat(changed)
                .extracting(Line::kind)
                .containsExactly(LineKind.REMOVED, LineKind.ADDED);
        assertThat(changed.get(1).tokens())
                .containsExactly(
                        new Token("kw", "let"),
                        new Token(null, " a "),
                        new Token("punct", "="),
                        new Token(null, " "),
                        new Token("num", "2"),
                        new Token("punct", ";"));
    }

    @Test
    void hunksHaveThreeLinesOfContextAndCloseOnesJoin() {
        String old = numbered(1, 40);
        String neu =
                old.replace("line 10\n", "line ten\n")
                        .replace("line 15\n", "line fifteen\n")
                        .replace("line 30\n", "");
        var diff =
                ReleaseDiff.between(
                        new Tarballs().file("a.txt", old).stream(),
                        new Tarballs().file("a.txt", neu).stream());
        var hunks = file(diff, "a.txt").hunks();
        assertThat(hunks).hasSize(2);
        Hunk first = hunks.get(0);
        assertThat(List.of(first.oldStart(), first.oldLines(), first.newStart(), first.newLines()))
                .containsExactly(7, 12, 7, 12);
        assertThat(text(first.lines().getFirst())).isEqualTo("line 7");
        assertThat(text(first.lines().getLast())).isEqualTo("line 18");
        Hunk second = hunks.get(1);
        assertThat(
                        List.of(
                                second.oldStart(),
                                second.oldLines(),
                                second.newStart(),
                                second.newLines()))
                .containsExactly(27, 7, 27, 6);
        assertThat(second.lines())
                .filteredOn(l -> l.kind() == LineKind.REMOVED)
                .extracting(Line::oldNumber, ReleaseDiffTest::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(30, "line 30"));
        assertThat(second.lines().get(4))
                .extracting(Line::oldNumber, Line::newNumber)
                .containsExactly(31, 30);
    }

    @Test
    void linesAreHighlightedWithTheWholeFileInView() {
        String old = "/* a comment\nthat goes on\nand on */\nconst x = 1;\n";
        String neu = old.replace("that goes on", "that goes on and on");
        var diff =
                ReleaseDiff.between(
                        new Tarballs().file("x.js", old).stream(),
                        new Tarballs().file("x.js", neu).stream());
        var added =
                file(diff, "x.js").hunks().getFirst().lines().stream()
                        .filter(l -> l.kind() == LineKind.ADDED)
                        .findFirst()
                        .orElseThrow();
        assertThat(added.tokens()).containsExactly(new Token("com", "that goes on and on"));
    }

    @Test
    void binaryFilesAreListedWithoutLines() {
        var before =
                new Tarballs()
                                .file("a.bin", new byte[] {1, 0, 2})
                                .file("b.txt", new byte[] {(byte) 0xC3, 0x28})
                                .stream();
        var after =
                new Tarballs().file("a.bin", new byte[] {1, 0, 3}).file("b.txt", "ok\n").stream();
        var diff = ReleaseDiff.between(before, after);
        assertThat(file(diff, "a.bin"))
                .extracting(FileChange::kind, FileChange::binary, FileChange::hunks)
                .containsExactly(Kind.CHANGED, true, List.of());
        // Invalid UTF-8 on one side is enough.
        assertThat(file(diff, "b.txt"))
                .extracting(FileChange::kind, FileChange::binary, FileChange::hunks)
                .containsExactly(Kind.CHANGED, true, List.of());
    }

    @Test
    void filesPastTheTextLimitAreListedWithoutLinesAndComparedByDigest() {
        String big = "x".repeat(Tarball.MAX_TEXT_BYTES) + "\n";
        var diff =
                ReleaseDiff.between(
                        new Tarballs().file("big.js", big).file("same.js", big).stream(),
                        new Tarballs().file("big.js", big + "y\n").file("same.js", big).stream());
        assertThat(file(diff, "big.js"))
                .extracting(FileChange::kind, FileChange::tooLarge, FileChange::hunks)
                .containsExactly(Kind.CHANGED, true, List.of());
        assertThat(file(diff, "same.js"))
                .extracting(FileChange::kind, FileChange::tooLarge)
                .containsExactly(Kind.UNCHANGED, true);
    }

    @Test
    void aDiffPastTheLineLimitIsCutAndLaterFilesAreStillListed() {
        var before = new Tarballs();
        var after = new Tarballs();
        for (int f = 0; f < 5; f++) {
            before.file("f" + f + ".txt", numbered(1, 6000));
            after.file("f" + f + ".txt", numbered(1, 6000).replace("line", "LINE"));
        }
        var diff = ReleaseDiff.between(before.stream(), after.stream());
        assertThat(diff.truncated()).isTrue();
        assertThat(diff.files()).hasSize(5).allMatch(f -> f.kind() == Kind.CHANGED);
        int lines =
                diff.files().stream()
                        .flatMap(f -> f.hunks().stream())
                        .mapToInt(h -> h.lines().size())
                        .sum();
        assertThat(lines).isEqualTo(ReleaseDiff.MAX_LINES);
        assertThat(diff.files().getLast().hunks()).isEmpty();
        // A cut hunk still counts what it shows.
        Hunk cut = diff.files().get(1).hunks().getLast();
        assertThat(cut.oldLines() + cut.newLines()).isEqualTo(cut.lines().size());
    }

    @Test
    void twoUnrelatedLargeFilesDiffInBoundedTime() {
        String old =
                IntStream.range(0, 30_000)
                        .mapToObj(i -> "a" + i + "\n")
                        .collect(Collectors.joining());
        String neu =
                IntStream.range(0, 30_000)
                        .mapToObj(i -> "b" + i + "\n")
                        .collect(Collectors.joining());
        var diff =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () ->
                                ReleaseDiff.between(
                                        new Tarballs().file("x.js", old).stream(),
                                        new Tarballs().file("x.js", neu).stream()));
        assertThat(diff.truncated()).isTrue();
        var lines = file(diff, "x.js").hunks().getFirst().lines();
        assertThat(lines).hasSize(ReleaseDiff.MAX_LINES);
        assertThat(lines).allMatch(l -> l.kind() == LineKind.REMOVED);
    }

    @Test
    void theFirstPathComponentIsDroppedWhateverItIsAndBareEntriesAreSkipped() {
        var after = new Tarballs();
        after.entry(new TarArchiveEntry("node/index.js"), "x".getBytes(StandardCharsets.UTF_8));
        after.entry(new TarArchiveEntry("top.txt"), "y".getBytes(StandardCharsets.UTF_8));
        after.file("../../etc/passwd", "z");
        var diff = ReleaseDiff.between(null, after.stream());
        assertThat(diff.files())
                .extracting(FileChange::path)
                .containsExactly("../../etc/passwd", "index.js");
    }

    @Test
    void notGzipIsRefusedNamingTheSide() {
        assertThatThrownBy(
                        () ->
                                ReleaseDiff.between(
                                        new ByteArrayInputStream(
                                                "hello".getBytes(StandardCharsets.UTF_8)),
                                        new Tarballs().file("a", "b").stream()))
                .isInstanceOf(Problem.class)
                .hasMessageStartingWith("the older tarball is not a readable gzipped tar");
        assertThatThrownBy(() -> ReleaseDiff.between(null, new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(Problem.class)
                .hasMessageStartingWith("the newer tarball is not a readable gzipped tar");
        assertThatThrownBy(() -> ReleaseDiff.between(null, null))
                .isInstanceOf(Problem.class)
                .hasMessage("the newer tarball is missing");
    }

    @Test
    void aGzippedNonTarAndACutTarAreRefused() throws Exception {
        var gz = new java.io.ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(gz)) {
            out.write(
                    "this is no tar at all, but long enough to be read as a header? "
                            .repeat(20)
                            .getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(
                        () -> ReleaseDiff.between(null, new ByteArrayInputStream(gz.toByteArray())))
                .isInstanceOf(Problem.class)
                .hasMessageStartingWith("the newer tarball is not a readable gzipped tar");
        byte[] whole = new Tarballs().file("a.txt", "x".repeat(100_000)).bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> ReleaseDiff.between(null, new ByteArrayInputStream(cut)))
                .isInstanceOf(Problem.class)
                .hasMessageStartingWith("the newer tarball is not a readable gzipped tar");
    }

    @Test
    void tooManyEntriesAreRefused() {
        var after = new Tarballs();
        for (int i = 0; i <= Tarball.MAX_ENTRIES; i++) {
            after.file("f" + i, new byte[0]);
        }
        assertThatThrownBy(() -> ReleaseDiff.between(null, after.stream()))
                .isInstanceOf(Problem.class)
                .hasMessage("the newer tarball has more than 10000 entries");
    }

    @Test
    void aGzipBombIsRefusedByItsDeclaredSizeWithoutInflatingIt() {
        byte[] bomb = new Tarballs().zeros("zeros.bin", 256L << 20).bytes();
        assertThat(bomb.length).isLessThan(1 << 20);
        assertThatThrownBy(
                        () ->
                                assertTimeoutPreemptively(
                                        Duration.ofSeconds(10),
                                        () ->
                                                ReleaseDiff.between(
                                                        new ByteArrayInputStream(bomb),
                                                        new Tarballs().file("a", "b").stream())))
                .isInstanceOf(Problem.class)
                .hasMessage("the older tarball unpacks to more than 64 MiB");
    }

    @Test
    void manyFilesPastTheUnpackedLimitAreRefused() {
        var after = new Tarballs();
        for (int i = 0; i < 65; i++) {
            after.zeros("z" + i, 1 << 20);
        }
        assertThatThrownBy(() -> ReleaseDiff.between(null, after.stream()))
                .isInstanceOf(Problem.class)
                .hasMessage("the newer tarball unpacks to more than 64 MiB");
    }

    @Test
    void metadataInflatingPastTheCapIsRefusedInBoundedTime() {
        var after = new Tarballs();
        var entry = new TarArchiveEntry("package/a.txt");
        entry.addPaxHeader("comment", "x".repeat(120 << 20));
        after.entry(entry, "a".getBytes(StandardCharsets.UTF_8));
        byte[] bomb = after.bytes();
        assertThatThrownBy(
                        () ->
                                assertTimeoutPreemptively(
                                        Duration.ofSeconds(20),
                                        () ->
                                                ReleaseDiff.between(
                                                        null, new ByteArrayInputStream(bomb))))
                .isInstanceOf(Problem.class)
                .hasMessage("the newer tarball inflates past 96 MiB");
    }
}
