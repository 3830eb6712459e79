package dev.warden.review.eval;

import dev.warden.review.Action;
import dev.warden.review.Evidence;
import dev.warden.review.Finding;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.Severity;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The evaluation's Markdown report: the confusion table, the targets, and what lies behind them.
 */
final class Report {

    private static final int TOP = 3;

    private final String command;
    private final String revision;
    private final Clock clock;
    private final List<Outcome> malicious;
    private final List<Outcome> heldOut;
    private final List<Outcome> benign;
    private final int benignPackages;
    private final List<String> problems;
    private final StringBuilder out = new StringBuilder();

    Report(
            String command,
            String revision,
            Clock clock,
            List<Outcome> malicious,
            List<Outcome> heldOut,
            List<Outcome> benign,
            int benignPackages,
            List<String> problems) {
        this.command = command;
        this.revision = revision;
        this.clock = clock;
        this.malicious = malicious;
        this.heldOut = heldOut;
        this.benign = benign;
        this.benignPackages = benignPackages;
        this.problems = problems;
    }

    String markdown() {
        line("# Release review: evaluation");
        line("");
        line("Command: `" + command + "`  ");
        line("Date: " + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "  ");
        line("Revision: " + revision + "  ");
        line(
                "Corpora: %d malicious releases (reconstructions, bench/review/attacks/); %d benign"
                        + " releases of %d packages (bench/review/benign-packages.txt)",
                malicious.size(), benign.size(), benignPackages);
        if (!heldOut.isEmpty()) {
            line(
                    "Held out: %d malicious releases (bench/review/holdout/), written after the"
                            + " detectors were tuned on the corpora above and reported apart",
                    heldOut.size());
        }
        line("");
        confusion();
        targets();
        attackTable("Malicious releases", malicious);
        if (!heldOut.isEmpty()) {
            attackTable("Held-out malicious releases", heldOut);
        }
        benignStopped();
        frequencies();
        slowest();
        if (!problems.isEmpty()) {
            line("## Benign list entries not used");
            line("");
            problems.forEach(p -> line("- " + p));
            line("");
        }
        return out.toString();
    }

    private void confusion() {
        line("## Confusion table");
        line("");
        line(
                "| corpus | policy | releases | ALLOW | FLAG | HOLD | QUARANTINE | review failed |"
                        + " held or quarantined |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        row("malicious", "DEFAULT", malicious, Outcome::byDefault);
        row("malicious", "HIGH_IMPACT", malicious, Outcome::highImpact);
        if (!heldOut.isEmpty()) {
            row("held-out", "DEFAULT", heldOut, Outcome::byDefault);
            row("held-out", "HIGH_IMPACT", heldOut, Outcome::highImpact);
        }
        row("benign", "DEFAULT", benign, Outcome::byDefault);
        row("benign", "HIGH_IMPACT", benign, Outcome::highImpact);
        line("");
    }

    private void row(
            String corpus,
            String policy,
            List<Outcome> outcomes,
            Function<Outcome, Action> action) {
        int[] counts = new int[Action.values().length];
        int failed = 0;
        for (Outcome o : outcomes) {
            Action a = action.apply(o);
            if (a == null) {
                failed++;
            } else {
                counts[a.ordinal()]++;
            }
        }
        int stopped = counts[Action.HOLD.ordinal()] + counts[Action.QUARANTINE.ordinal()];
        line(
                "| %s | %s | %d | %d | %d | %d | %d | %d | %d (%s) |",
                corpus,
                policy,
                outcomes.size(),
                counts[0],
                counts[1],
                counts[2],
                counts[3],
                failed,
                stopped,
                percent(stopped, outcomes.size()));
    }

    private void targets() {
        long caught = malicious.stream().filter(o -> o.stopped(o.byDefault())).count();
        long caughtHigh = malicious.stream().filter(o -> o.stopped(o.highImpact())).count();
        long falseStops = benign.stream().filter(o -> o.stopped(o.byDefault())).count();
        long falseStopsHigh = benign.stream().filter(o -> o.stopped(o.highImpact())).count();
        long bytes = benign.stream().mapToLong(o -> o.release().unpackedBytes()).sum();
        long bothBytes =
                bytes + benign.stream().mapToLong(o -> o.release().previousUnpackedBytes()).sum();
        long cpu = benign.stream().mapToLong(Outcome::cpuNanos).sum();
        long wall = benign.stream().mapToLong(Outcome::wallNanos).sum();
        line("## Targets (issue 17)");
        line("");
        line("| target | measured | met |");
        line("| --- | --- | --- |");
        line(
                "| every malicious release held or quarantined | DEFAULT %d/%d, HIGH_IMPACT %d/%d |"
                        + " %s |",
                caught,
                malicious.size(),
                caughtHigh,
                malicious.size(),
                yes(caught == malicious.size()));
        if (!heldOut.isEmpty()) {
            long held = heldOut.stream().filter(o -> o.stopped(o.byDefault())).count();
            long heldHigh = heldOut.stream().filter(o -> o.stopped(o.highImpact())).count();
            line(
                    "| every held-out malicious release held or quarantined | DEFAULT %d/%d,"
                            + " HIGH_IMPACT %d/%d | %s |",
                    held, heldOut.size(), heldHigh, heldOut.size(), yes(held == heldOut.size()));
        }
        line(
                "| at most 2%% of benign releases held or quarantined | DEFAULT %d/%d (%s),"
                        + " HIGH_IMPACT %d/%d (%s) | %s |",
                falseStops,
                benign.size(),
                percent(falseStops, benign.size()),
                falseStopsHigh,
                benign.size(),
                percent(falseStopsHigh, benign.size()),
                yes(!benign.isEmpty() && falseStops * 50 <= benign.size()));
        line(
                "| analysis >= 100 MB/s of unpacked content, one core | %s MB/s of CPU time (%s"
                        + " MB/s elapsed) over %s MB of releases; %s MB/s counting the previous"
                        + " releases read too | %s |",
                rate(bytes, cpu),
                rate(bytes, wall),
                String.format("%.0f", bytes / 1e6),
                rate(bothBytes, cpu),
                yes(cpu > 0 && bytes / 1e6 / (cpu / 1e9) >= 100));
        line("");
        List<Outcome> all = new ArrayList<>(malicious);
        all.addAll(heldOut);
        all.addAll(benign);
        List<Outcome> differ = all.stream().filter(o -> o.mismatch() != null).toList();
        line(
                "Reviews from the previous release's stored summary that found other than the"
                        + " review from its tarball: %d of %d.",
                differ.size(),
                all.stream().filter(o -> o.release().subject().previous() != null).count());
        line("");
        differ.stream()
                .limit(10)
                .forEach(o -> line("- %s: %s", o.release().label(), cell(o.mismatch())));
        if (!differ.isEmpty()) {
            line("");
        }
        line(
                "Throughput: bytes of the releases' unpacked files (the tar entries) divided by the"
                    + " reviewing thread's CPU time inside `Reviewer.examine` (one thread, after a"
                    + " warm-up pass), the previous release read from the summary its own review"
                    + " left (as the registry stores it); MB = 10^6 bytes.");
        line("");
    }

    private void attackTable(String title, List<Outcome> attacks) {
        line("## " + title);
        line("");
        line("| release | follows | DEFAULT | HIGH_IMPACT | top findings |");
        line("| --- | --- | --- | --- | --- |");
        for (Outcome o : attacks) {
            line(
                    "| %s | %s | %s | %s | %s |",
                    cell(o.release().label()),
                    cell(o.release().note()),
                    name(o.byDefault()),
                    name(o.highImpact()),
                    cell(top(o, TOP)));
        }
        line("");
        List<Outcome> missed = attacks.stream().filter(o -> !o.stopped(o.byDefault())).toList();
        if (!missed.isEmpty()) {
            line("### " + title + " missed under DEFAULT (neither held nor quarantined)");
            line("");
            missed.forEach(this::detail);
        }
    }

    private void benignStopped() {
        List<Outcome> stopped =
                benign.stream().filter(o -> o.stopped(o.byDefault()) || o.error() != null).toList();
        line("## Benign releases held or quarantined under DEFAULT (false positives)");
        line("");
        if (stopped.isEmpty()) {
            line("None.");
            line("");
        }
        stopped.forEach(this::detail);
        List<Outcome> high =
                benign.stream()
                        .filter(o -> !o.stopped(o.byDefault()) && o.stopped(o.highImpact()))
                        .toList();
        line("## Benign releases held or quarantined only under HIGH_IMPACT");
        line("");
        if (high.isEmpty()) {
            line("None.");
        }
        for (Outcome o : high) {
            line("- %s: %s — %s", o.release().label(), name(o.highImpact()), top(o, TOP));
        }
        line("");
    }

    private void detail(Outcome o) {
        line(
                "#### %s: %s",
                o.release().label(), o.error() != null ? "review failed" : name(o.byDefault()));
        line("");
        if (o.error() != null) {
            line("- the review threw: `%s`", o.error());
        } else {
            for (Finding f : o.findings().findings()) {
                line(
                        "- `%s` %s (%s): %s",
                        f.id(), f.severity(), name(ReviewPolicy.DEFAULT.actionOf(f)), f.summary());
                f.evidence().stream().limit(3).forEach(e -> line("  - %s", evidence(e)));
            }
            o.findings().notComputed().forEach(n -> line("- not computed: %s", n));
            if (o.findings().findings().isEmpty()) {
                line("- no findings");
            }
        }
        line("");
    }

    /** Per finding id: in how many releases of each corpus it appears, and its severities. */
    private void frequencies() {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Severity> highest = new TreeMap<>();
        count(malicious, 0, counts, highest);
        count(benign, 1, counts, highest);
        count(heldOut, 2, counts, highest);
        line("## Findings by kind");
        line("");
        line(
                "| finding | highest severity | malicious releases | benign releases | held-out"
                        + " releases |");
        line("| --- | --- | ---: | ---: | ---: |");
        counts.forEach(
                (id, c) ->
                        line(
                                "| `%s` | %s | %d | %d | %d |",
                                id, highest.get(id), c[0], c[1], c[2]));
        line("");
        long notComputed =
                benign.stream()
                        .filter(o -> o.findings() != null && !o.findings().notComputed().isEmpty())
                        .count();
        line("Benign releases with checks not computed: %d.", notComputed);
        line("");
    }

    private static void count(
            List<Outcome> outcomes,
            int column,
            Map<String, int[]> counts,
            Map<String, Severity> highest) {
        for (Outcome o : outcomes) {
            if (o.findings() == null) {
                continue;
            }
            o.findings().findings().stream()
                    .map(Finding::id)
                    .distinct()
                    .forEach(id -> counts.computeIfAbsent(id, k -> new int[3])[column]++);
            for (Finding f : o.findings().findings()) {
                highest.merge(f.id(), f.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
    }

    private void slowest() {
        line("## Slowest benign reviews (CPU time)");
        line("");
        line("| release | unpacked MB | CPU ms | MB/s |");
        line("| --- | ---: | ---: | ---: |");
        benign.stream()
                .sorted(Comparator.comparingLong(Outcome::cpuNanos).reversed())
                .limit(8)
                .forEach(
                        o ->
                                line(
                                        "| %s | %.1f | %.0f | %s |",
                                        o.release().label(),
                                        o.release().unpackedBytes() / 1e6,
                                        o.cpuNanos() / 1e6,
                                        rate(o.release().unpackedBytes(), o.cpuNanos())));
        line("");
    }

    private static String top(Outcome o, int n) {
        if (o.error() != null) {
            return "review failed: " + o.error();
        }
        List<String> parts = new ArrayList<>();
        for (Finding f :
                o.findings().findings().stream()
                        .sorted(Comparator.comparing(Finding::severity).reversed())
                        .limit(n)
                        .toList()) {
            String where = f.evidence().isEmpty() ? "" : " " + evidence(f.evidence().get(0));
            parts.add("`" + f.id() + "` " + f.severity() + where);
        }
        return parts.isEmpty() ? "no findings" : String.join("; ", parts);
    }

    private static String evidence(Evidence e) {
        StringBuilder s = new StringBuilder();
        s.append(e.file() == null ? "(release)" : e.file());
        if (e.line() > 0) {
            s.append(':').append(e.line());
        }
        if (!e.excerpt().isEmpty()) {
            String x = e.excerpt().length() > 80 ? e.excerpt().substring(0, 80) + "…" : e.excerpt();
            s.append(" `").append(x.replace('`', '\'')).append('`');
        }
        return s.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String name(Action a) {
        return a == null ? "failed" : a.name();
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format("%.1f%%", 100.0 * part / whole);
    }

    private static String rate(long bytes, long nanos) {
        return nanos <= 0 ? "-" : String.format("%.0f", bytes / 1e6 / (nanos / 1e9));
    }

    private void line(String format, Object... args) {
        out.append(args.length == 0 ? format : String.format(format, args)).append('\n');
    }
}
