package dev.warden.review;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists of popular names: the one shipped with Warden ({@value #SHIPPED}, the public npm registry's
 * best-known, most depended-upon packages) and lists in the same form from a file. One name a line;
 * {@code #} starts a comment.
 */
public final class PopularNames {

    public static final String SHIPPED = "popular-npm-names.txt";

    private PopularNames() {}

    /** The shipped list. */
    public static List<String> shipped() {
        try (InputStream in = PopularNames.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED + " is missing from warden-review");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The names of a list, in order and each once.
     *
     * @throws IllegalArgumentException naming the line of an entry that cannot be a package name
     */
    public static List<String> parse(List<String> lines) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String name = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (name.isEmpty()) {
                continue;
            }
            String problem = problem(name);
            if (problem != null) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": \"" + clip(name) + "\" " + problem);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** Why {@code name} cannot be a package name in a list, or null. */
    public static String problem(String name) {
        if (name.length() > 214) {
            return "is longer than a package name may be (214 characters)";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i)) || Character.isISOControl(name.charAt(i))) {
                return "is not one package name (it has a space or a control character)";
            }
        }
        if (name.startsWith("@") && (name.indexOf('/') < 2 || name.endsWith("/"))) {
            return "is not a scoped package name (@scope/name)";
        }
        return null;
    }

    /** The configured names together, each once. */
    public static List<String> union(List<String> first, List<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return new ArrayList<>(all);
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
