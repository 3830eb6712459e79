package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Tarballs;

import org.junit.jupiter.api.Test;

import java.util.List;

/** A stage's diff is made once per stage and baseline; what cannot be diffed says why. */
class StageDiffsTest {

    static byte[] tgz(String util) {
        return Tarballs.tgz(
                List.of(
                        Tarballs.Entry.file("package/package.json", "{\"name\":\"d\"}"),
                        Tarballs.Entry.file("package/util.js", util)));
    }

    /** Counts how often each tarball is read. */
    static final class Counting implements StageDiffs.Source {
        final byte[] staged;
        final byte[] released;
        int stagedReads;
        int releasedReads;

        Counting(byte[] staged, byte[] released) {
            this.staged = staged;
            this.released = released;
        }

        @Override
        public byte[] staged() {
            stagedReads++;
            return staged;
        }

        @Override
        public byte[] released() {
            releasedReads++;
            return released;
        }
    }

    @Test
    void aReloadDiffsNothingAgainUntilTheBaselineMoves() {
        StageDiffs diffs = new StageDiffs();
        Counting source = new Counting(tgz("let a = 2;\n"), tgz("let a = 1;\n"));
        ApprovalViews.Diff first = diffs.of("s1", "d", "1.0.0", source);
        ApprovalViews.Diff again = diffs.of("s1", "d", "1.0.0", source);
        assertThat(again).isSameAs(first);
        assertThat(source.stagedReads).isEqualTo(1);
        assertThat(source.releasedReads).isEqualTo(1);
        assertThat(first.changed()).isEqualTo(1);
        assertThat(first.unchanged()).isEqualTo(1);
        assertThat(first.files())
                .filteredOn(f -> f.path().equals("util.js"))
                .singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo("changed"));

        // another release became latest meanwhile: compared with it, once
        diffs.of("s1", "d", "1.0.1", source);
        assertThat(source.stagedReads).isEqualTo(2);
        // a first release reads no baseline: every file added
        ApprovalViews.Diff firstRelease = diffs.of("s2", "d", null, source);
        assertThat(firstRelease.added()).isEqualTo(2);
        assertThat(firstRelease.baseline()).isNull();
        assertThat(source.releasedReads).isEqualTo(2);
    }

    @Test
    void whatCannotBeDiffedSaysWhy() {
        StageDiffs diffs = new StageDiffs();
        ApprovalViews.Diff gone = diffs.of("s3", "d", "1.0.0", new Counting(tgz("x\n"), null));
        assertThat(gone.files()).isEmpty();
        assertThat(gone.note())
                .isEqualTo(
                        "The tarball of d@1.0.0 cannot be read (unpublished or held), so there is"
                                + " nothing to compare with.");
        ApprovalViews.Diff broken =
                diffs.of("s4", "d", null, new Counting("not gzip".getBytes(), null));
        assertThat(broken.files()).isEmpty();
        assertThat(broken.note()).startsWith("The diff could not be made: ");
    }
}
