package dev.warden.log;

import java.util.List;

/**
 * Paths of the C2SP tlog-tiles API: {@code tile/<L>/<N>[.p/<W>]} and {@code
 * tile/entries/<N>[.p/<W>]}, where N is written in groups of three digits, every group but the last
 * prefixed with {@code x} ({@code 1234067} is {@code x001/x234/067}).
 *
 * @param level the tile level, or {@link #ENTRIES} for an entry bundle
 * @param index the tile index at that level
 * @param width the number of hashes or entries, 1 to 256 (256 is a full tile)
 */
public record TilePath(int level, long index, int width) {

    public static final int WIDTH = 256;
    public static final int HEIGHT = 8;
    public static final int ENTRIES = -1;

    /** No tree here goes deeper than 2^63 leaves: eight levels of tiles. */
    public static final int MAX_LEVEL = 7;

    public boolean entries() {
        return level == ENTRIES;
    }

    public boolean partial() {
        return width < WIDTH;
    }

    /** The path below the log's prefix. */
    public String path() {
        StringBuilder b =
                new StringBuilder("tile/")
                        .append(entries() ? "entries" : Integer.toString(level))
                        .append('/');
        b.append(encodeIndex(index));
        if (partial()) {
            b.append(".p/").append(width);
        }
        return b.toString();
    }

    /** {@code v >>> bits}, but 0 from 64 bits on (Java would shift by {@code bits % 64}). */
    static long shift(long v, int bits) {
        return bits >= 64 ? 0 : v >>> bits;
    }

    static String encodeIndex(long n) {
        String digits = Long.toString(n);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) {
                b.append('x');
            }
            b.append(digits, i, i + 3);
            if (i + 3 < digits.length()) {
                b.append('/');
            }
        }
        return b.toString();
    }

    /** Parses the segments after {@code tile/}; null when they are not a tile path. */
    public static TilePath parse(List<String> segments) {
        if (segments.size() < 2 || segments.size() > 10) {
            return null;
        }
        int level;
        String first = segments.get(0);
        if (first.equals("entries")) {
            level = ENTRIES;
        } else if (first.matches("0|[1-9][0-9]?") && Integer.parseInt(first) <= 63) {
            level = Integer.parseInt(first);
        } else {
            return null;
        }
        int width = WIDTH;
        int end = segments.size();
        String last = segments.get(end - 1);
        if (end >= 3 && segments.get(end - 2).endsWith(".p")) {
            if (!last.matches("[1-9][0-9]{0,2}")) {
                return null;
            }
            width = Integer.parseInt(last);
            if (width >= WIDTH) {
                return null;
            }
            end--;
        }
        long index = 0;
        for (int i = 1; i < end; i++) {
            String s = segments.get(i);
            boolean isLast = i == end - 1;
            if (isLast && width < WIDTH) {
                s = s.substring(0, s.length() - 2);
            }
            if (isLast == s.startsWith("x")) {
                return null;
            }
            String digits = isLast ? s : s.substring(1);
            if (digits.length() != 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            if (index > (Long.MAX_VALUE - 999) / 1000) {
                return null;
            }
            index = index * 1000 + Integer.parseInt(digits);
        }
        TilePath p = new TilePath(level, index, width);
        // One spelling per tile: no leading x000 groups.
        return p.path().equals("tile/" + String.join("/", segments)) ? p : null;
    }
}
