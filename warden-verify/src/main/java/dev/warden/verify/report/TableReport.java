package dev.warden.verify.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report for a person at a terminal: one line per package that failed or was waived (status,
 * {@code name@version}, the checks concerned and the first one's message), a summary line with the
 * count of packages per status, then the run's notices. Lines are cut to the width (80 columns by
 * default) with {@code …}; the JSON report has every finding whole. Colour (ANSI) only when asked:
 * the caller knows whether its output is a terminal that wants it.
 */
public final class TableReport {

    public static final int WIDTH = 80;

    private static final int STATUS_WIDTH = 7;
    private static final int MAX_SPEC_WIDTH = 36;
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private TableReport() {}

    public static String render(Report report, boolean color) {
        return render(report, color, WIDTH);
    }

    /**
     * @param width the columns a line may take (at least 40)
     */
    public static String render(Report report, boolean color, int width) {
        int columns = Math.max(40, width);
        List<PackageResult> shown =
                report.results().stream()
                        .filter(r -> r.status() == Status.FAIL || r.status() == Status.WAIVED)
                        .toList();
        int specWidth =
                Math.min(
                        MAX_SPEC_WIDTH,
                        shown.stream()
                                .mapToInt(r -> Text.length(Text.safe(r.pkg().spec())))
                                .max()
                                .orElse(0));
        StringBuilder out = new StringBuilder();
        boolean cut = false;
        for (PackageResult r : shown) {
            String line = line(r, specWidth);
            String fitted = Text.fit(line, columns);
            cut |= !fitted.equals(line);
            out.append(color ? colour(fitted, r.status()) : fitted).append('\n');
        }
        String summary = summary(report);
        out.append(color ? BOLD + summary + RESET : summary).append('\n');
        for (String notice : report.notices()) {
            wrap(out, "note: ", Text.safe(notice), columns);
        }
        if (cut) {
            out.append("(lines cut at ")
                    .append(columns)
                    .append(" columns: --json gives every finding in full)\n");
        }
        return out.toString();
    }

    private static String line(PackageResult r, int specWidth) {
        Status status = r.status();
        List<Finding> concerned = r.findings().stream().filter(f -> f.status() == status).toList();
        String checks =
                concerned.stream()
                        .map(f -> f.check().id())
                        .distinct()
                        .collect(Collectors.joining(", "));
        String spec = Text.fit(Text.safe(r.pkg().spec()), specWidth);
        StringBuilder line = new StringBuilder();
        line.append(pad(status.name(), STATUS_WIDTH)).append(pad(spec, specWidth)).append("  ");
        line.append(checks);
        if (status == Status.WAIVED && r.waiver() != null) {
            line.append(" (waived: ").append(Text.safe(r.waiver())).append(')');
        }
        if (!concerned.isEmpty()) {
            line.append(": ").append(Text.safe(concerned.getFirst().message()));
        }
        return line.toString();
    }

    /** {@code 3 packages: 1 pass, 0 info, 1 waived, 1 fail}. */
    static String summary(Report report) {
        Map<Status, Integer> counts = counts(report);
        int total = report.results().size();
        StringBuilder s =
                new StringBuilder().append(total).append(total == 1 ? " package: " : " packages: ");
        List<String> parts = new ArrayList<>();
        for (Status status : Status.values()) {
            parts.add(counts.get(status) + " " + status.name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.append(String.join(", ", parts)).toString();
    }

    static Map<Status, Integer> counts(Report report) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, 0);
        }
        for (PackageResult r : report.results()) {
            counts.merge(r.status(), 1, Integer::sum);
        }
        return counts;
    }

    private static String colour(String line, Status status) {
        String code = status == Status.FAIL ? RED : YELLOW;
        String word = status.name();
        return code + word + RESET + line.substring(word.length());
    }

    /** Notices are not cut: they name pinned roots and keys a person may need whole. */
    private static void wrap(StringBuilder out, String first, String text, int columns) {
        String indent = " ".repeat(first.length());
        StringBuilder line = new StringBuilder(first);
        int used = first.length();
        for (String word : text.split(" ")) {
            int len = Text.length(word);
            if (used > first.length() && used + 1 + len > columns) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
                used = indent.length();
            } else if (used > first.length()) {
                line.append(' ');
                used++;
            }
            line.append(word);
            used += len;
        }
        out.append(line).append('\n');
    }

    private static String pad(String s, int width) {
        int len = Text.length(s);
        return len >= width ? s : s + " ".repeat(width - len);
    }
}
