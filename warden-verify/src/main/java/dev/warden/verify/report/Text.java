package dev.warden.verify.report;

/**
 * Text from lockfiles and registries on its way to a terminal. A name or message may come from an
 * attacker (a registry answering anything): control characters, escape sequences and bidirectional
 * overrides could rewrite what the terminal shows, so they become {@code ?}.
 */
final class Text {

    private Text() {}

    static String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints()
                .forEach(
                        c -> {
                            if (Character.isISOControl(c)
                                    || Character.getType(c) == Character.FORMAT
                                    || c == 0x2028
                                    || c == 0x2029) {
                                out.append('?');
                            } else {
                                out.appendCodePoint(c);
                            }
                        });
        return out.toString();
    }

    /** At most {@code width} code points, the last one {@code …} when cut. */
    static String fit(String s, int width) {
        if (s.codePointCount(0, s.length()) <= width) {
            return s;
        }
        int end = s.offsetByCodePoints(0, Math.max(0, width - 1));
        return s.substring(0, end) + "…";
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
