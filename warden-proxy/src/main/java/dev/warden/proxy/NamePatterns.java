package dev.warden.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Package name patterns, as the configuration writes them: {@code **} (every name), exact names
 * ({@code lodash}, {@code @acme/tool}), and {@code *} standing for any characters within one
 * segment ({@code @acme/*}, {@code eslint-plugin-*}, {@code @*}{@code /core}). A segment that is
 * {@code **} matches anything, scopes included ({@code @acme/**} is {@code @acme/*}). A single
 * {@code *} never crosses the scope's "/": {@code *} matches unscoped names only.
 */
public final class NamePatterns {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~*-]+");
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    private NamePatterns() {}

    /**
     * Checks a pattern.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static void check(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("a name pattern is empty");
        }
        if (pattern.length() > 214) {
            throw new IllegalArgumentException(
                    "name pattern is longer than 214 characters: " + clip(pattern));
        }
        if (pattern.equals("**")) {
            return;
        }
        String[] parts = pattern.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException(
                    "name pattern " + clip(pattern) + " has more than one \"/\"");
        }
        if (parts.length == 2 && !parts[0].startsWith("@")) {
            throw new IllegalArgumentException(
                    "name pattern "
                            + clip(pattern)
                            + " has a \"/\" but no scope (a scope starts with \"@\")");
        }
        if (parts.length == 1 && pattern.startsWith("@")) {
            throw new IllegalArgumentException(
                    "name pattern "
                            + clip(pattern)
                            + " is a scope without a name: write "
                            + dev.warden.common.Problem.clip(pattern)
                            + "/*");
        }
        for (int i = 0; i < parts.length; i++) {
            String segment = i == 0 && parts.length == 2 ? parts[i].substring(1) : parts[i];
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException(
                        "name pattern "
                                + clip(pattern)
                                + " has an empty segment or a character other than letters,"
                                + " digits, \"-._~\" and \"*\"");
            }
            if (segment.contains("**") && !segment.equals("**")) {
                throw new IllegalArgumentException(
                        "name pattern "
                                + clip(pattern)
                                + ": \"**\" must be a whole segment (\"**\" or \"@scope/**\")");
            }
        }
    }

    /** True when {@code name} matches {@code pattern} (a checked pattern). */
    public static boolean matches(String pattern, String name) {
        if (pattern.equals("**")) {
            return true;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(name);
        }
        return COMPILED.computeIfAbsent(pattern, NamePatterns::compile).matcher(name).matches();
    }

    /** True when any of {@code patterns} matches {@code name}. */
    static boolean any(Iterable<String> patterns, String name) {
        for (String p : patterns) {
            if (matches(p, name)) {
                return true;
            }
        }
        return false;
    }

    private static Pattern compile(String pattern) {
        check(pattern);
        StringBuilder regex = new StringBuilder();
        String[] parts = pattern.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append('/');
            }
            if (parts[i].equals("**")) {
                regex.append(".*");
                continue;
            }
            String[] literals = parts[i].split("\\*", -1);
            for (int j = 0; j < literals.length; j++) {
                if (j > 0) {
                    regex.append("[^/]*");
                }
                regex.append(Pattern.quote(literals[j]));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String clip(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return "\"" + t.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
