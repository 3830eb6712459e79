package dev.warden.review;

import java.util.Locale;
import java.util.Map;

/**
 * A name's skeleton: what it looks like, ignoring case, separators and characters that pass for
 * others. Two names with one skeleton are told apart only by looking closely. Registry names are
 * lower-case ASCII, so the digit and letter pairs matter for them; the Cyrillic and Greek letters
 * matter for names in a manifest, which nothing normalizes.
 */
final class Confusables {

    /** Characters drawn like a Latin letter, mapped to it; 1, l, i and I all become l. */
    private static final Map<Character, Character> LOOKALIKES =
            Map.ofEntries(
                    Map.entry('0', 'o'),
                    Map.entry('1', 'l'),
                    Map.entry('i', 'l'),
                    Map.entry('|', 'l'),
                    // Cyrillic
                    Map.entry('\u0430', 'a'),
                    Map.entry('\u0432', 'b'),
                    Map.entry('\u0435', 'e'),
                    Map.entry('\u0455', 's'),
                    Map.entry('\u0456', 'l'),
                    Map.entry('\u0458', 'j'),
                    Map.entry('\u043a', 'k'),
                    Map.entry('\u043c', 'm'),
                    Map.entry('\u043d', 'h'),
                    Map.entry('\u043e', 'o'),
                    Map.entry('\u0440', 'p'),
                    Map.entry('\u0441', 'c'),
                    Map.entry('\u0442', 't'),
                    Map.entry('\u0443', 'y'),
                    Map.entry('\u0445', 'x'),
                    Map.entry('\u0501', 'd'),
                    Map.entry('\u051b', 'q'),
                    Map.entry('\u051d', 'w'),
                    // Greek
                    Map.entry('\u03b1', 'a'),
                    Map.entry('\u03b5', 'e'),
                    Map.entry('\u03b9', 'l'),
                    Map.entry('\u03ba', 'k'),
                    Map.entry('\u03bd', 'v'),
                    Map.entry('\u03bf', 'o'),
                    Map.entry('\u03c1', 'p'),
                    Map.entry('\u03c4', 't'),
                    Map.entry('\u03c5', 'u'),
                    Map.entry('\u03c7', 'x'),
                    // Latin lookalikes outside ASCII
                    Map.entry('\u0131', 'l'),
                    Map.entry('\u0261', 'g'));

    private Confusables() {}

    /** Lower case without the separators {@code - _ .}: {@code Cross_Env} is {@code crossenv}. */
    static String compact(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (!isSeparator(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean isSeparator(char c) {
        return c == '-' || c == '_' || c == '.';
    }

    /** The compact form with every lookalike replaced: {@code 1o-dash} and {@code lodash} agree. */
    static String skeleton(String name) {
        String compact = compact(name);
        StringBuilder b = new StringBuilder(compact.length());
        for (char c : compact.toCharArray()) {
            b.append(LOOKALIKES.getOrDefault(c, c));
        }
        // pairs drawn like one letter
        return b.toString().replace("rn", "m").replace("vv", "w");
    }

    /**
     * The characters of {@code name} that stand for others in {@code popular}'s skeleton, for a
     * message ("1 for l"); empty when only pairs ({@code rn}) differ.
     */
    static String differences(String name, String popular) {
        String a = compact(name);
        String b = compact(popular);
        StringBuilder out = new StringBuilder();
        if (a.length() == b.length()) {
            for (int i = 0; i < a.length(); i++) {
                if (a.charAt(i) != b.charAt(i)) {
                    if (!out.isEmpty()) {
                        out.append(", ");
                    }
                    out.append(shown(a.charAt(i))).append(" for ").append(shown(b.charAt(i)));
                }
            }
        }
        return out.isEmpty() ? "letters drawn alike" : out.toString();
    }

    /** A character as a message shows it: non-ASCII as its code point too. */
    private static String shown(char c) {
        return c < 0x80 ? String.valueOf(c) : c + String.format(Locale.ROOT, " (U+%04X)", (int) c);
    }
}
