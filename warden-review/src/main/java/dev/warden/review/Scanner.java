package dev.warden.review;

import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a file's bytes: the keyword automaton, line and whitespace counts, runs of
 * base64/hex characters and of escape sequences, and a UTF-8 check, all in the same loop so a file
 * is read once (the analysis must keep up with 100 MB/s on one core).
 */
final class Scanner {

    private static final int B64 = 1;
    private static final int HEX = 2;
    private static final int WS = 4;
    private static final byte[] CLASS = new byte[256];

    /** Runs this long are kept: short enough for an encoded URL or module name. */
    static final int MIN_RUN = 32;

    static final int MIN_ESCAPES = 40;
    static final int LONG_LINE = 1000;

    static {
        for (int b = 0; b < 256; b++) {
            int c = 0;
            if ((b >= 'A' && b <= 'Z')
                    || (b >= 'a' && b <= 'z')
                    || (b >= '0' && b <= '9')
                    || b == '+'
                    || b == '/'
                    || b == '='
                    || b == '-'
                    || b == '_') {
                c |= B64;
            }
            if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')) {
                c |= HEX;
            }
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                c |= WS;
            }
            CLASS[b] = (byte) c;
        }
    }

    private Scanner() {}

    static FileScan scan(byte[] data) {
        int n = data.length;
        int keywords = Keywords.ALL.size();
        int[] counts = new int[keywords];
        int[][] offsets = new int[keywords][];
        int[][] lineNumbers = new int[keywords][];
        List<FileScan.Run> runs = new ArrayList<>();
        List<FileScan.Run> longLines = new ArrayList<>();
        if (looksBinary(data)) {
            return new FileScan(
                    true, n, 0, 0, 0, 0, 0, counts, offsets, lineNumbers, List.of(), List.of());
        }
        int[] step = Keywords.AUTOMATON.step;
        int[][] outputs = Keywords.AUTOMATON.outputs;
        int row = 0;
        int line = 1;
        int lineStart = 0;
        int maxLine = 0;
        long longBytes = 0;
        int whitespace = 0;
        int invalid = 0;
        int need = 0;
        int b64Run = 0;
        int hexRun = 0;
        int escapes = 0;
        int escapeStart = -1;
        int lastEscape = -10;
        boolean backslash = false;
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xFF;
            row = step[row | b];
            if (row < 0) {
                row &= Automaton.MASK;
                for (int k : outputs[row >>> 8]) {
                    int c = counts[k]++;
                    if (c < FileScan.KEPT) {
                        if (offsets[k] == null) {
                            offsets[k] = new int[FileScan.KEPT];
                            lineNumbers[k] = new int[FileScan.KEPT];
                        }
                        offsets[k][c] = i + 1 - Keywords.ALL.get(k).bytes().length;
                        lineNumbers[k][c] = line;
                    }
                }
            }
            int cls = CLASS[b];
            if ((cls & B64) != 0) {
                b64Run++;
                hexRun = (cls & HEX) != 0 ? hexRun + 1 : 0;
            } else {
                if (b64Run >= MIN_RUN) {
                    endRun(runs, i, b64Run, hexRun, line);
                }
                b64Run = 0;
                hexRun = 0;
            }
            if (b < 0x80) {
                if (need > 0) {
                    invalid++;
                    need = 0;
                }
                if ((cls & WS) != 0) {
                    whitespace++;
                    if (b == '\n') {
                        int len = i - lineStart;
                        if (len > maxLine) {
                            maxLine = len;
                        }
                        if (len >= LONG_LINE) {
                            longBytes += len;
                            if (longLines.size() < 8) {
                                longLines.add(
                                        new FileScan.Run(
                                                FileScan.Run.Kind.LINE, lineStart, len, line));
                            }
                        }
                        if (escapes >= MIN_ESCAPES) {
                            runs.add(
                                    new FileScan.Run(
                                            FileScan.Run.Kind.ESCAPES,
                                            escapeStart,
                                            lastEscape + 2 - escapeStart,
                                            line));
                        }
                        escapes = 0;
                        line++;
                        lineStart = i + 1;
                    }
                } else if (backslash && (b == 'x' || b == 'u')) {
                    if (escapes == 0 || i - lastEscape > 8) {
                        if (escapes >= MIN_ESCAPES) {
                            runs.add(
                                    new FileScan.Run(
                                            FileScan.Run.Kind.ESCAPES,
                                            escapeStart,
                                            lastEscape + 2 - escapeStart,
                                            line));
                        }
                        escapes = 0;
                        escapeStart = i - 1;
                    }
                    escapes++;
                    lastEscape = i - 1;
                }
                backslash = b == '\\' && !backslash;
            } else {
                backslash = false;
                if (b < 0xC0) {
                    if (need > 0) {
                        need--;
                    } else {
                        invalid++;
                    }
                } else {
                    if (need > 0) {
                        invalid++;
                    }
                    need = b < 0xC2 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : b < 0xF5 ? 3 : 0;
                    if (b < 0xC2 || b >= 0xF5) {
                        invalid++;
                    }
                }
            }
        }
        if (b64Run >= MIN_RUN) {
            endRun(runs, n, b64Run, hexRun, line);
        }
        if (escapes >= MIN_ESCAPES) {
            runs.add(
                    new FileScan.Run(
                            FileScan.Run.Kind.ESCAPES,
                            escapeStart,
                            lastEscape + 2 - escapeStart,
                            line));
        }
        int last = n - lineStart;
        if (last > maxLine) {
            maxLine = last;
        }
        if (last >= LONG_LINE) {
            longBytes += last;
            if (longLines.size() < 8) {
                longLines.add(new FileScan.Run(FileScan.Run.Kind.LINE, lineStart, last, line));
            }
        }
        if (n > 0 && invalid * 20L > n) {
            // Mostly not UTF-8: a binary format without NUL bytes early; its "keywords" mean
            // nothing.
            return new FileScan(
                    true,
                    n,
                    line,
                    maxLine,
                    longBytes,
                    whitespace,
                    invalid,
                    new int[keywords],
                    new int[keywords][],
                    new int[keywords][],
                    List.of(),
                    List.of());
        }
        return new FileScan(
                false,
                n,
                line,
                maxLine,
                longBytes,
                whitespace,
                invalid,
                counts,
                offsets,
                lineNumbers,
                runs.size() > 256 ? List.copyOf(runs.subList(0, 256)) : runs,
                longLines);
    }

    private static void endRun(List<FileScan.Run> runs, int end, int b64, int hex, int line) {
        if (runs.size() > 256) {
            return;
        }
        if (hex >= MIN_RUN && hex == b64) {
            runs.add(new FileScan.Run(FileScan.Run.Kind.HEX, end - hex, hex, line));
        } else {
            runs.add(new FileScan.Run(FileScan.Run.Kind.BASE64, end - b64, b64, line));
        }
    }

    /** NUL bytes in the first 8 KiB, or a known executable or archive header. */
    static boolean looksBinary(byte[] data) {
        if (Magic.of(data) != null) {
            return true;
        }
        int limit = Math.min(data.length, 8192);
        for (int i = 0; i < limit; i++) {
            if (data[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
