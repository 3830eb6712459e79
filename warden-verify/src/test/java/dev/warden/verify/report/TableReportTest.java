package dev.warden.verify.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

class TableReportTest {

    private static List<String> lines(String s) {
        assertThat(s).endsWith("\n");
        return s.lines().toList();
    }

    @Test
    void onlyFailingAndWaivedPackagesGetALineThenTheSummaryThenNotices() {
        List<String> lines = lines(TableReport.render(Reports.mixed("package-lock.json"), false));

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0))
                .startsWith("WAIVED left-pad@1.3.0  ")
                .contains("scripts (waived: vendored fix): runs postinstall");
        assertThat(lines.get(1))
                .startsWith("FAIL   @acme/core@3.1.4  integrity, provenance: expected sha512-AAAA");
        assertThat(lines.get(2)).isEqualTo("4 packages: 1 pass, 1 info, 1 waived, 1 fail");
        assertThat(lines.get(3))
                .isEqualTo("note: pinned the TUF root of http://203.0.113.7:4873 on first use");
        assertThat(lines.get(4))
                .isEqualTo("(lines cut at 80 columns: --json gives every finding in full)");
        assertThat(String.join("\n", lines)).doesNotContain("ok@1.0.0").doesNotContain("plain@");
    }

    @Test
    void everythingPassingIsTheSummaryAlone() {
        assertThat(TableReport.render(Reports.allPassing(), false))
                .isEqualTo("2 packages: 1 pass, 1 info, 0 waived, 0 fail\n");
    }

    @Test
    void longLinesAreCutAt80ColumnsWithAnEllipsisAndSaySo() {
        List<String> lines = lines(TableReport.render(Reports.mixed("package-lock.json"), false));

        assertThat(lines.subList(0, 2)).allSatisfy(l -> assertThat(l.length()).isEqualTo(80));
        assertThat(lines.get(1)).endsWith("…");
        assertThat(lines.getLast()).startsWith("(lines cut at 80 columns");
    }

    @Test
    void longNoticesWrapInsteadOfBeingCut() {
        String longNotice = "word ".repeat(40).strip();
        Report r = new Report("l", "f", "default", List.of(), List.of(longNotice), Reports.AT);

        List<String> lines = lines(TableReport.render(r, false));

        assertThat(lines.getFirst()).isEqualTo("0 packages: 0 pass, 0 info, 0 waived, 0 fail");
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(
                        String.join(" ", lines.subList(1, lines.size()))
                                .replace("note: ", "")
                                .replaceAll(" +", " ")
                                .strip())
                .isEqualTo(longNotice);
    }

    @Test
    void colourOnlyWhenAsked() {
        String plain = TableReport.render(Reports.mixed("package-lock.json"), false);
        String coloured = TableReport.render(Reports.mixed("package-lock.json"), true);

        assertThat(plain).doesNotContain("\u001b");
        assertThat(coloured)
                .contains("\u001b[31mFAIL\u001b[0m")
                .contains("\u001b[33mWAIVED\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
    }

    @Test
    void escapeSequencesFromARegistryDoNotReachTheTerminal() {
        Report r =
                new Report(
                        "l",
                        "f",
                        "default",
                        List.of(
                                new PackageResult(
                                        Reports.pkg("evil", "1.0.0"),
                                        List.of(
                                                Finding.fail(
                                                        Check.FETCH,
                                                        "bad \u001b[2J\u001b]0;owned\u0007"
                                                                + " \u202eetc")),
                                        null)),
                        List.of("notice \u001b[31m"),
                        Reports.AT);

        String out = TableReport.render(r, false);

        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e");
        assertThat(out).contains("fetch: bad ?[2J?]0;owned? ?etc");
    }
}
