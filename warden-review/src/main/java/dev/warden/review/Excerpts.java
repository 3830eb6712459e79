package dev.warden.review;

import java.nio.charset.StandardCharsets;

/**
 * Evidence text: a window of a file around a match, on one line, decoded leniently, with control
 * and invisible characters written as escapes so an approver sees them (a bidi override shown raw
 * would reorder the excerpt itself).
 */
final class Excerpts {

    private Excerpts() {}

    /** The excerpt of {@code length} bytes at {@code offset}, with a little context before it. */
    static String around(byte[] data, long offset, int length) {
        if (data == null || offset < 0 || offset >= data.length) {
            return "";
        }
        int at = (int) offset;
        int from = at;
        int lead = 0;
        while (from > 0 && lead < 40 && data[from - 1] != '\n') {
            from--;
            lead++;
        }
        // Start on a character boundary.
        while (from < at && (data[from] & 0xC0) == 0x80) {
            from++;
        }
        int to = Math.min(data.length, at + Math.max(length, 0) + 120);
        for (int i = at; i < to; i++) {
            if (data[i] == '\n') {
                to = i;
                break;
            }
        }
        String text = new String(data, from, Math.max(0, to - from), StandardCharsets.UTF_8);
        return escape(text.strip(), Evidence.MAX_EXCERPT);
    }

    /** {@code text} with control and invisible characters escaped, at most {@code max} chars. */
    static String escape(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            String piece;
            if (c == '\t') {
                piece = " ";
            } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                piece = String.format("\\x%02X", c);
            } else if (invisible(c)) {
                piece = String.format("\\u{%X}", c);
            } else {
                piece = new String(Character.toChars(c));
            }
            if (out.length() + piece.length() > max) {
                break;
            }
            out.append(piece);
        }
        return out.toString();
    }

    /** Characters that render as nothing or reorder text around them. */
    static boolean invisible(int c) {
        return (c >= 0x200B && c <= 0x200F)
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x2069)
                || c == 0xFEFF
                || c == 0x00AD
                || c == 0xFFFD
                || (c >= 0xFE00 && c <= 0xFE0F)
                || (c >= 0xE0000 && c <= 0xE01EF);
    }
}
