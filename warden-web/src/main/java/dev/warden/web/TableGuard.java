package dev.warden.web;

/**
 * Keeps GitHub tables from multiplying a README: the parser pads every row to the header's columns,
 * so a 2,000-column header over 100,000 one-character rows would make 200 million cells. Once the
 * tables' cells (columns times rows, in source order) pass {@link #MAX_CELLS}, each further table's
 * delimiter row is escaped, so it is no table and shows as the text it was. A cell written out
 * takes at least two characters ("|x"), so a README within {@link Readme#MAX_CHARS} whose cells are
 * all written keeps its tables: only padding is refused. Scanned by hand, in linear time (a regular
 * expression here backtracks on long blank lines).
 */
final class TableGuard {

    static final int MAX_CELLS = 300_000;

    private TableGuard() {}

    static String limit(String markdown) {
        if (markdown.indexOf('|') < 0) {
            return markdown;
        }
        String[] lines = markdown.split("\n", -1);
        long cells = 0;
        boolean changed = false;
        for (int i = 0; i < lines.length; i++) {
            int start = afterMarkers(lines[i]);
            long columns = delimiterColumns(lines[i], start);
            if (columns == 0) {
                continue;
            }
            int end = i + 1;
            while (end < lines.length && !blank(lines[end])) {
                end++;
            }
            cells += columns * (end - i + 1);
            if (cells > MAX_CELLS) {
                lines[i] = lines[i].substring(0, start) + "\\" + lines[i].substring(start);
                changed = true;
            }
            // The table's rows are rows, whatever they look like: the next table starts after.
            i = end - 1;
        }
        return changed ? String.join("\n", lines) : markdown;
    }

    /** Where a line's content starts after block quote and list markers. */
    private static int afterMarkers(String line) {
        int i = 0;
        while (true) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= line.length()) {
                return i;
            }
            char c = line.charAt(i);
            if (c == '>') {
                i++;
            } else if ((c == '-' || c == '+' || c == '*') && spaceAt(line, i + 1)) {
                i += 2;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < line.length() && j - i < 9 && Character.isDigit(line.charAt(j))) {
                    j++;
                }
                if (j < line.length()
                        && (line.charAt(j) == '.' || line.charAt(j) == ')')
                        && spaceAt(line, j + 1)) {
                    i = j + 2;
                } else {
                    return i;
                }
            } else {
                return i;
            }
        }
    }

    private static boolean spaceAt(String line, int i) {
        return i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t');
    }

    /**
     * The columns of a delimiter row ("| :--- | ---: |") from {@code start}, or 0 if it is none.
     */
    private static long delimiterColumns(String line, int start) {
        long columns = 0;
        boolean dashes = false;
        boolean pipe = false;
        boolean cellOpen = false;
        for (int i = start; i < line.length(); i++) {
            switch (line.charAt(i)) {
                case '|' -> {
                    if (cellOpen && !dashes) {
                        return 0;
                    }
                    if (cellOpen) {
                        columns++;
                    }
                    pipe = true;
                    cellOpen = false;
                    dashes = false;
                }
                case '-' -> {
                    cellOpen = true;
                    dashes = true;
                }
                case ':' -> cellOpen = true;
                case ' ', '\t' -> {}
                default -> {
                    return 0;
                }
            }
        }
        if (cellOpen) {
            if (!dashes) {
                return 0;
            }
            columns++;
        }
        // "---" alone is a thematic break or a heading underline, not a table.
        return pipe ? columns : 0;
    }

    private static boolean blank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '>') {
                return false;
            }
        }
        return true;
    }
}
