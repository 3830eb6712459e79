package dev.warden.verify.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A package name pattern of a policy, and the one place that decides what it matches.
 *
 * <ul>
 *   <li>{@code *} or {@code **} alone: every name, scoped or not;
 *   <li>a name without {@code *} ({@code left-pad}, {@code @acme/core}): exactly that name;
 *   <li>{@code @acme/*}: every package of the scope {@code @acme} (and nothing else);
 *   <li>otherwise a {@code *} matches any run of characters, maybe none, inside its own segment (a
 *       segment is the scope or the bare name): {@code eslint-plugin-*} matches {@code
 *       eslint-plugin-react} but not {@code @x/eslint-plugin-react}; {@code @*}{@code /core}
 *       matches {@code @acme/core}.
 * </ul>
 *
 * Matching is case-sensitive, as npm names are. A pattern holds only the characters a package name
 * may hold (letters, digits, {@code - . _ ~}), {@code *}, and for a scope {@code @} and one {@code
 * /}; anything else is refused when the policy is read, so a typo cannot silently match nothing.
 */
public final class NamePattern {

    /** npm's longest name; a longer pattern could only be a mistake. */
    static final int MAX_LENGTH = 214;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~*-]+");

    private final String text;
    private final boolean any;
    private final Pattern regex;

    private NamePattern(String text, boolean any, Pattern regex) {
        this.text = text;
        this.any = any;
        this.regex = regex;
    }

    /**
     * Reads a pattern.
     *
     * @throws IllegalArgumentException naming what is wrong with it (the policy adds where it is)
     */
    public static NamePattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a name pattern must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a name pattern is at most " + MAX_LENGTH + " characters");
        }
        if (text.equals("*") || text.equals("**")) {
            return new NamePattern(text, true, null);
        }
        List<String> segments;
        if (text.startsWith("@")) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException(
                        "\"" + text + "\" has a scope but no name: write \"" + text + "/*\"");
            }
            segments = List.of(text.substring(1, slash), text.substring(slash + 1));
        } else if (text.contains("/")) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" has a \"/\" but no scope: only \"@scope/name\" has one");
        } else {
            segments = List.of(text);
        }
        StringBuilder regex = new StringBuilder(text.startsWith("@") ? "@" : "");
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException(
                        "\""
                                + text
                                + "\" is not a name pattern: a name or scope holds letters,"
                                + " digits, - . _ ~ and * only");
            }
            if (segment.contains("**")) {
                throw new IllegalArgumentException(
                        "\""
                                + text
                                + "\": ** matches every name only on its own; inside a name"
                                + " use a single *");
            }
            if (regex.length() > 1) {
                regex.append('/');
            }
            appendSegment(regex, segment);
        }
        return new NamePattern(text, false, Pattern.compile(regex.toString()));
    }

    private static void appendSegment(StringBuilder regex, String segment) {
        int from = 0;
        for (int star = segment.indexOf('*'); star >= 0; star = segment.indexOf('*', from)) {
            if (star > from) {
                regex.append(Pattern.quote(segment.substring(from, star)));
            }
            regex.append("[^/]*");
            from = star + 1;
        }
        if (from < segment.length()) {
            regex.append(Pattern.quote(segment.substring(from)));
        }
    }

    /** Whether {@code name} is one of the names this pattern stands for. */
    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        return any || regex.matcher(name).matches();
    }

    /** Whether it names exactly one package (it holds no {@code *}). */
    public boolean isExact() {
        return !text.contains("*");
    }

    /** Whether any of {@code patterns} matches {@code name}. */
    static boolean anyMatches(List<NamePattern> patterns, String name) {
        return patterns.stream().anyMatch(p -> p.matches(name));
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamePattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
