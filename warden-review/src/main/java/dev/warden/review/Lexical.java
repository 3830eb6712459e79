package dev.warden.review;

/**
 * Where a keyword hit sits in source, judged from its own line only (a full parse would cost what
 * the scan saves): inside a string literal, inside a comment, or in code. Good enough to tell an
 * invisible character used as an identifier from one inside a string, or a comment that mentions
 * {@code .npmrc} from code that reads it.
 */
final class Lexical {

    enum Place {
        CODE,
        STRING,
        COMMENT
    }

    /** How far back a line is read; in a longer (minified) line every place counts as code. */
    private static final int MAX_LOOKBACK = 4096;

    private Lexical() {}

    static Place at(byte[] data, int offset) {
        int start = offset;
        while (start > 0 && data[start - 1] != '\n' && offset - start < MAX_LOOKBACK) {
            start--;
        }
        if (start > 0 && data[start - 1] != '\n') {
            // Inside a long (minified) line: where strings begin cannot be told from here.
            return Place.CODE;
        }
        int i = start;
        while (i < offset && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        // A line inside a block comment usually starts with '*'.
        if (i < offset && data[i] == '*' && (i + 1 >= data.length || data[i + 1] != '=')) {
            return Place.COMMENT;
        }
        byte quote = 0;
        boolean blockComment = false;
        for (; i < offset; i++) {
            byte b = data[i];
            if (blockComment) {
                if (b == '*' && i + 1 < offset && data[i + 1] == '/') {
                    blockComment = false;
                    i++;
                }
            } else if (quote != 0) {
                if (b == '\\') {
                    i++;
                } else if (b == quote) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'' || b == '`') {
                quote = b;
            } else if (b == '/' && i + 1 < offset && data[i + 1] == '/') {
                return Place.COMMENT;
            } else if (b == '/' && i + 1 < offset && data[i + 1] == '*') {
                blockComment = true;
                i++;
            }
        }
        if (blockComment) {
            return Place.COMMENT;
        }
        return quote != 0 ? Place.STRING : Place.CODE;
    }

    static boolean inComment(byte[] data, int offset) {
        return at(data, offset) == Place.COMMENT;
    }

    /** The index of {@code needle} in {@code data}, or -1. */
    static int indexOf(byte[] data, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = data.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Whether the bytes of {@code data} from {@code from} (at most {@code len}) occur in {@code
     * other}.
     */
    static boolean occursIn(byte[] data, int from, int len, byte[] other) {
        if (other == null) {
            return false;
        }
        int to = Math.min(data.length, from + len);
        byte[] needle = java.util.Arrays.copyOfRange(data, Math.max(0, from), to);
        return indexOf(other, needle) >= 0;
    }
}
