package dev.warden.review;

import java.util.List;

/**
 * What one pass over a file found: keyword hits (the count of each, and where the first few are),
 * encoded-looking runs, and the file's shape (lines, whitespace, invalid UTF-8).
 *
 * @param runs runs of base64 or hex characters (at least {@link Scanner#MIN_RUN}) and lines with
 *     many escape sequences, the first 256
 * @param longLines the first lines of at least {@link Scanner#LONG_LINE} bytes
 * @param binary whether the file is binary (NUL bytes or mostly invalid UTF-8): keyword hits are
 *     not collected for it
 */
record FileScan(
        boolean binary,
        int length,
        int lines,
        int maxLineLength,
        long bytesInLongLines,
        int whitespace,
        int invalidUtf8,
        int[] counts,
        int[][] offsets,
        int[][] lineNumbers,
        List<Run> runs,
        List<Run> longLines) {

    /** How many hits of each keyword keep their place. */
    static final int KEPT = 32;

    /** A run of base64, hex or escape sequences long enough to hide something in. */
    record Run(Kind kind, int offset, int length, int line) {
        enum Kind {
            BASE64,
            HEX,
            ESCAPES,
            LINE
        }
    }

    int count(Cue cue) {
        int n = 0;
        for (int k : Keywords.BY_CUE.get(cue)) {
            n += counts[k];
        }
        return n;
    }

    boolean has(Cue cue) {
        for (int k : Keywords.BY_CUE.get(cue)) {
            if (counts[k] > 0) {
                return true;
            }
        }
        return false;
    }

    /** The kept hits of one cue, in no particular order across its keywords. */
    List<Hit> hits(Cue cue) {
        java.util.ArrayList<Hit> out = new java.util.ArrayList<>();
        for (int k : Keywords.BY_CUE.get(cue)) {
            int kept = Math.min(counts[k], KEPT);
            for (int i = 0; i < kept; i++) {
                out.add(new Hit(k, offsets[k][i], lineNumbers[k][i]));
            }
        }
        out.sort(java.util.Comparator.comparingInt(Hit::offset));
        return out;
    }

    /** A keyword's match: its start offset and 1-based line. */
    record Hit(int keyword, int offset, int line) {
        String token() {
            return Keywords.ALL.get(keyword).token();
        }

        int length() {
            return Keywords.ALL.get(keyword).bytes().length;
        }
    }

    /** Long lines and little whitespace: generated or minified code rather than written source. */
    boolean minified() {
        return !binary
                && length >= 2048
                && (maxLineLength >= 1000 && bytesInLongLines * 2 >= length)
                && whitespace * 100L < length * 12L;
    }

    /** Written source: short lines. */
    boolean readable() {
        return !binary && maxLineLength < 500 && bytesInLongLines * 10 < Math.max(1, length);
    }
}
