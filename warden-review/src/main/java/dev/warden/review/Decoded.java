package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decoding of encoded-looking runs, to see what they hide. */
final class Decoded {

    private Decoded() {}

    /** The run's text decoded, if it decodes to mostly printable text; else null. */
    static String text(byte[] data, FileScan.Run run) {
        byte[] raw =
                switch (run.kind()) {
                    case BASE64 -> base64(data, run.offset(), run.length());
                    case HEX -> hex(data, run.offset(), run.length());
                    case ESCAPES -> unescape(data, run.offset(), run.length());
                    case LINE -> null;
                };
        if (raw == null || raw.length < 4) {
            return null;
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        int printable = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 0x20 && c != 0x7F && c != 0xFFFD) || c == '\n' || c == '\r' || c == '\t') {
                printable++;
            }
        }
        return printable * 100L >= text.length() * 95L ? text : null;
    }

    static byte[] base64(byte[] data, int offset, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = offset; i < offset + length; i++) {
            char c = (char) data[i];
            if (c == '=') {
                break;
            }
            s.append(c == '-' ? '+' : c == '_' ? '/' : c);
        }
        if (s.length() % 4 == 1) {
            s.setLength(s.length() - 1);
        }
        while (s.length() % 4 != 0) {
            s.append('=');
        }
        try {
            return Base64.getDecoder().decode(s.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] hex(byte[] data, int offset, int length) {
        byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(data[offset + 2 * i], 16);
            int lo = Character.digit(data[offset + 2 * i + 1], 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** {@code \xHH}, {@code \\uHHHH} and {@code \\u{H..}} sequences as text; other bytes as is. */
    static byte[] unescape(byte[] data, int offset, int length) {
        StringBuilder s = new StringBuilder(length / 3);
        int end = Math.min(data.length, offset + length);
        for (int i = offset; i < end; i++) {
            if (data[i] == '\\' && i + 1 < end) {
                char k = (char) data[i + 1];
                int digits = k == 'x' ? 2 : k == 'u' ? 4 : 0;
                if (k == 'u' && i + 2 < end && data[i + 2] == '{') {
                    int close = i + 3;
                    while (close < end && close < i + 10 && data[close] != '}') {
                        close++;
                    }
                    int cp = parse(data, i + 3, close - i - 3);
                    if (cp >= 0 && Character.isValidCodePoint(cp)) {
                        s.appendCodePoint(cp);
                        i = close;
                        continue;
                    }
                }
                if (digits > 0 && i + 1 + digits < end) {
                    int cp = parse(data, i + 2, digits);
                    if (cp >= 0) {
                        s.appendCodePoint(cp);
                        i += 1 + digits;
                        continue;
                    }
                }
            }
            s.append((char) (data[i] & 0xFF));
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int parse(byte[] data, int from, int n) {
        if (n <= 0 || n > 6) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = Character.digit(data[i], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Shannon entropy of the bytes, in bits per byte. */
    static double entropy(byte[] data, int offset, int length) {
        int[] counts = new int[256];
        int end = Math.min(data.length, offset + length);
        for (int i = offset; i < end; i++) {
            counts[data[i] & 0xFF]++;
        }
        double n = end - offset;
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        return h;
    }
}
