package dev.warden.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * New dependencies whose names look like popular packages: a release that starts depending on
 * {@code lodahs} or {@code crossenv} pulls in whatever the squatter published. A dependency is new
 * when the release it follows did not name it; an alias ({@code "x": "npm:lodahs@^1"}) counts by
 * the package it installs. Dev dependencies are not installed by dependents and are not looked at.
 */
final class DependencyLookalike {

    static final String ID = "dependency-lookalike";

    private static final List<String> FIELDS =
            List.of("dependencies", "optionalDependencies", "peerDependencies");

    private final Ecosystem ecosystem;
    private final int maxFileBytes;

    /** The index of the last list of popular names, rebuilt when the list changes. */
    private volatile Indexed indexed;

    private record Indexed(List<String> names, NameResemblance index) {}

    DependencyLookalike(Ecosystem ecosystem, ReviewSettings settings) {
        this.ecosystem = ecosystem;
        this.maxFileBytes = settings.maxFileBytes();
    }

    List<Finding> examine(Subject subject) {
        Map<String, String> added = names(subject.manifest());
        if (subject.previous() != null) {
            added.keySet().removeAll(names(subject.previous().manifest()).keySet());
        }
        if (added.isEmpty()) {
            return List.of();
        }
        NameResemblance index = index();
        List<Finding> found = new ArrayList<>();
        PackageJsonLines lines = null;
        for (Map.Entry<String, String> dep : added.entrySet()) {
            var r = index.resembles(dep.getKey());
            if (r.isEmpty()) {
                continue;
            }
            if (lines == null) {
                lines = PackageJsonLines.of(subject, maxFileBytes);
            }
            found.add(
                    new Finding(
                            ID,
                            Severity.HIGH,
                            "new dependency "
                                    + dep.getKey()
                                    + ": "
                                    + r.get().describe()
                                    + (ecosystem.exists(dep.getKey())
                                            ? ""
                                            : "; no package of that name is on this registry"),
                            List.of(lines.evidence(dep.getValue(), dep.getKey()))));
        }
        return found;
    }

    private NameResemblance index() {
        List<String> names = ecosystem.popularNames();
        Indexed now = indexed;
        if (now == null || !now.names().equals(names)) {
            now = new Indexed(List.copyOf(names), NameResemblance.of(names));
            indexed = now;
        }
        return now.index();
    }

    /**
     * The package names a manifest installs, each with the key it is listed under: the key, or for
     * an alias the aliased package.
     */
    static Map<String, String> names(JsonNode manifest) {
        Map<String, String> out = new LinkedHashMap<>();
        if (manifest == null) {
            return out;
        }
        for (String field : FIELDS) {
            JsonNode deps = manifest.path(field);
            if (!deps.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : deps.properties()) {
                String spec = e.getValue().asText("");
                String aliased = aliasTarget(spec);
                out.putIfAbsent(aliased != null ? aliased : e.getKey(), e.getKey());
            }
        }
        return out;
    }

    /** {@code npm:lodahs@^1} installs lodahs; {@code npm:@scope/x@1} installs @scope/x. */
    static String aliasTarget(String spec) {
        if (!spec.startsWith("npm:")) {
            return null;
        }
        String rest = spec.substring(4);
        int at = rest.indexOf('@', rest.startsWith("@") ? 1 : 0);
        String name = at < 0 ? rest : rest.substring(0, at);
        return name.isEmpty() ? null : name;
    }
}
