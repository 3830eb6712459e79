package dev.warden.review;

import dev.warden.review.Resemblance.Kind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which popular package a name imitates, and how: case, separators, lookalike characters, word
 * order, a scope swap, one transposition or one edit, or a common affix.
 *
 * <p>Design: every popular name is indexed once under each form a lookalike shares with it (lower
 * case, compact, skeleton, sorted words) and, when long enough, under each string made by deleting
 * one of its characters: a name one edit or one adjacent transposition away shares one of those
 * deletions (or the name itself), and is then verified exactly. A check is a few dozen hash lookups
 * whatever the number of popular names.
 *
 * <p>Short names are matched only in a normalized form: one edit from a three-letter name covers
 * half the namespace. A popular name itself never resembles anything: it is the real one.
 */
public final class NameResemblance {

    /** The shortest compact name (or scope) that edits and transpositions are looked for around. */
    static final int MIN_EDIT_LENGTH = 5;

    /** The shortest compact name an affix is looked for around. */
    static final int MIN_AFFIX_LENGTH = 4;

    /**
     * What typosquats add to a name (the 2017 crossenv campaign: {@code jquery.js}, {@code
     * mysqljs}, {@code node-opencv}, {@code noderequest}, {@code mssql-node}). Not {@code -cli}:
     * tools are legitimately named after the library they drive.
     */
    private static final List<String> PREFIXES = List.of("nodejs-", "node-", "node.", "node");

    private static final List<String> SUFFIXES = List.of("-js", ".js", "_js", "js", "-node");

    /**
     * Scopes whose packages are named after other packages by convention: {@code @types/x} holds
     * the type definitions of {@code x}.
     */
    private static final Set<String> NAMING_SCOPES = Set.of("types");

    private final Set<String> popular;
    private final Map<String, List<String>> byLower = new HashMap<>();
    private final Map<String, List<String>> byCompact = new HashMap<>();
    private final Map<String, List<String>> bySkeleton = new HashMap<>();
    private final Map<String, List<String>> byWords = new HashMap<>();
    private final Map<String, List<String>> byDeletion = new HashMap<>();

    /** Unscoped popular names by skeleton, for scoped copies. */
    private final Map<String, String> unscopedBySkeleton = new HashMap<>();

    /** Scoped popular names by the skeleton of their bare name. */
    private final Map<String, List<String>> scopedByBare = new HashMap<>();

    /** Per scope, its popular packages' bare names. */
    private final Map<String, NameResemblance> withinScope;

    /** The popular scopes, as names. */
    private final NameResemblance scopes;

    private NameResemblance(Collection<String> names, boolean nested) {
        this.popular = new LinkedHashSet<>(names);
        Map<String, List<String>> bares = new LinkedHashMap<>();
        for (String p : popular) {
            String lower = p.toLowerCase(Locale.ROOT);
            put(byLower, lower, p);
            put(byCompact, Confusables.compact(p), p);
            put(bySkeleton, Confusables.skeleton(p), p);
            String[] parts = splitScope(lower);
            String words = sortedWords(parts[1]);
            if (words != null) {
                put(byWords, scopePrefix(parts[0]) + words, p);
            }
            if (parts[0] == null) {
                unscopedBySkeleton.putIfAbsent(Confusables.skeleton(p), p);
                if (Confusables.compact(p).length() >= MIN_EDIT_LENGTH) {
                    for (String d : deletions(lower)) {
                        put(byDeletion, d, p);
                    }
                }
            } else {
                put(scopedByBare, Confusables.skeleton(parts[1]), p);
                bares.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
            }
        }
        if (nested) {
            this.withinScope = Map.of();
            this.scopes = null;
        } else {
            Map<String, NameResemblance> within = new HashMap<>();
            bares.forEach((scope, list) -> within.put(scope, new NameResemblance(list, true)));
            this.withinScope = within;
            this.scopes = new NameResemblance(bares.keySet(), true);
        }
    }

    /** An index of these popular names (blank entries ignored). */
    public static NameResemblance of(Collection<String> popularNames) {
        List<String> names = new ArrayList<>(popularNames.size());
        for (String n : popularNames) {
            if (n != null && !n.isBlank()) {
                names.add(n.strip());
            }
        }
        return new NameResemblance(names, false);
    }

    /** Whether {@code name} is one of the popular names, exactly. */
    public boolean isPopular(String name) {
        return popular.contains(name);
    }

    public int size() {
        return popular.size();
    }

    /**
     * The popular name {@code name} resembles, the most telling way first; empty when it resembles
     * none or is itself popular.
     */
    public Optional<Resemblance> resembles(String name) {
        if (name == null || name.isEmpty() || popular.contains(name)) {
            return Optional.empty();
        }
        List<Resemblance> found = find(name, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Every popular name other than {@code name} itself that it resembles, each once with its most
     * telling kind: for auditing the list, where popular names legitimately resemble each other.
     */
    public List<Resemblance> resemblingOthers(String name) {
        return find(name, Integer.MAX_VALUE);
    }

    private List<Resemblance> find(String name, int limit) {
        Map<String, Resemblance> found = new LinkedHashMap<>();
        String lower = name.toLowerCase(Locale.ROOT);
        String compact = Confusables.compact(name);
        String skeleton = Confusables.skeleton(name);
        for (String p : byLower.getOrDefault(lower, List.of())) {
            add(found, name, p, Kind.CASE, "");
        }
        for (String p : byCompact.getOrDefault(compact, List.of())) {
            add(found, name, p, Kind.SEPARATOR, "");
        }
        for (String p : bySkeleton.getOrDefault(skeleton, List.of())) {
            add(found, name, p, Kind.CONFUSABLE, Confusables.differences(name, p));
        }
        String[] parts = splitScope(lower);
        String words = sortedWords(parts[1]);
        if (words != null) {
            for (String p : byWords.getOrDefault(scopePrefix(parts[0]) + words, List.of())) {
                add(found, name, p, Kind.WORD_ORDER, "");
            }
        }
        if (found.size() >= limit) {
            return List.copyOf(found.values());
        }
        if (parts[0] != null) {
            scoped(found, name, parts[0], parts[1]);
        } else {
            edits(found, name, lower, compact);
            affixes(found, name, lower);
        }
        return List.copyOf(found.values());
    }

    /** {@code @typse/node} for {@code @types/node}; {@code @evil/lodash} for {@code lodash}. */
    private void scoped(Map<String, Resemblance> found, String name, String scope, String bare) {
        NameResemblance siblings = withinScope.get(scope);
        if (siblings != null) {
            for (Resemblance r : siblings.resemblingOthers(bare)) {
                add(found, name, "@" + scope + "/" + r.popular(), r.kind(), r.detail());
            }
        }
        String bareSkeleton = Confusables.skeleton(bare);
        List<String> sameBare = scopedByBare.get(bareSkeleton);
        if (sameBare != null && scopes != null) {
            for (Resemblance s : scopes.resemblingOthers(scope)) {
                for (String p : sameBare) {
                    if (splitScope(p.toLowerCase(Locale.ROOT))[0].equals(s.popular())) {
                        add(found, name, p, Kind.SCOPE, "@" + scope);
                    }
                }
            }
        }
        String copied = unscopedBySkeleton.get(bareSkeleton);
        if (copied != null
                && !NAMING_SCOPES.contains(scope)
                && Confusables.compact(copied).length() >= MIN_EDIT_LENGTH) {
            add(found, name, copied, Kind.SCOPED_COPY, "@" + scope);
        }
    }

    /**
     * One edit or transposition, separators included: {@code st-lib} reads as two words, not as
     * {@code tslib} mistyped; a separator and an edit are two changes.
     */
    private void edits(Map<String, Resemblance> found, String name, String lower, String compact) {
        if (compact.length() < MIN_EDIT_LENGTH - 1) {
            return;
        }
        for (String d : deletions(lower)) {
            List<String> near = byDeletion.get(d);
            if (near == null) {
                continue;
            }
            for (String p : near) {
                Kind k = oneStep(lower, p.toLowerCase(Locale.ROOT));
                if (k != null) {
                    add(found, name, p, k, "");
                }
            }
        }
    }

    private void affixes(Map<String, Resemblance> found, String name, String lower) {
        for (String prefix : PREFIXES) {
            if (lower.startsWith(prefix)) {
                affix(found, name, lower.substring(prefix.length()), "the prefix " + prefix);
            }
        }
        for (String suffix : SUFFIXES) {
            if (lower.endsWith(suffix)) {
                affix(
                        found,
                        name,
                        lower.substring(0, lower.length() - suffix.length()),
                        "the suffix " + suffix);
            }
        }
    }

    private void affix(Map<String, Resemblance> found, String name, String rest, String what) {
        String p = unscopedBySkeleton.get(Confusables.skeleton(rest));
        if (p != null && Confusables.compact(p).length() >= MIN_AFFIX_LENGTH) {
            add(found, name, p, Kind.AFFIX, what);
        }
    }

    private void add(
            Map<String, Resemblance> found, String name, String popularName, Kind k, String d) {
        if (popularName != null && !popularName.equals(name)) {
            found.putIfAbsent(popularName, new Resemblance(name, popularName, k, d));
        }
    }

    private static void put(Map<String, List<String>> index, String key, String name) {
        index.computeIfAbsent(key, k -> new ArrayList<>(1)).add(name);
    }

    /**
     * How {@code a} is one step from {@code b} (both lower case, different): a transposition of
     * adjacent characters, or one character added, left out or changed; null when it is not.
     */
    static Kind oneStep(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (a.equals(b) || Math.abs(la - lb) > 1) {
            return null;
        }
        int i = 0;
        while (i < Math.min(la, lb) && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (la == lb) {
            if (a.substring(i + 1).equals(b.substring(i + 1))) {
                return Kind.CHANGED_CHARACTER;
            }
            if (i + 1 < la
                    && a.charAt(i) == b.charAt(i + 1)
                    && a.charAt(i + 1) == b.charAt(i)
                    && a.substring(i + 2).equals(b.substring(i + 2))) {
                return Kind.TRANSPOSITION;
            }
            return null;
        }
        if (la > lb) {
            return a.substring(i + 1).equals(b.substring(i)) ? Kind.EXTRA_CHARACTER : null;
        }
        return a.substring(i).equals(b.substring(i + 1)) ? Kind.MISSING_CHARACTER : null;
    }

    /** The name and every string made by deleting one of its characters. */
    private static Set<String> deletions(String s) {
        Set<String> out = new LinkedHashSet<>(s.length() + 1);
        out.add(s);
        for (int i = 0; i < s.length(); i++) {
            out.add(s.substring(0, i) + s.substring(i + 1));
        }
        return out;
    }

    /** {scope or null, bare name} of a lower-case name. */
    private static String[] splitScope(String lower) {
        int slash = lower.indexOf('/');
        if (lower.startsWith("@") && slash > 1) {
            return new String[] {lower.substring(1, slash), lower.substring(slash + 1)};
        }
        return new String[] {null, lower};
    }

    private static String scopePrefix(String scope) {
        return scope == null ? "" : "@" + scope + "/";
    }

    /**
     * The words of a name in order ({@code cross-env} and {@code env-cross}: cross env), if two or
     * more.
     */
    private static String sortedWords(String bare) {
        String[] words =
                Arrays.stream(bare.split("[-_.]+"))
                        .filter(w -> !w.isEmpty())
                        .toArray(String[]::new);
        if (words.length < 2) {
            return null;
        }
        Arrays.sort(words);
        return String.join(" ", words);
    }
}
