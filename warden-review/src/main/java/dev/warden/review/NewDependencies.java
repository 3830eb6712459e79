package dev.warden.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dependencies added since the previous manifest: specs that bypass the registry (a URL, git, a
 * GitHub shorthand, a local file) and packages too young, unused by anyone else, or absent here.
 * Whether a name imitates a popular one is the name-resemblance check's, not this one's.
 */
final class NewDependencies implements Detector {

    static final List<String> FIELDS =
            List.of("dependencies", "optionalDependencies", "peerDependencies");

    static final Duration YOUNG = Duration.ofDays(7);

    /**
     * Each added dependency costs a few registry lookups: a release adding more is named, not
     * looked up.
     */
    static final int MAX_LOOKUPS = 200;

    private static final Pattern URL = Pattern.compile("(?i)^(https?|ftp)://");
    private static final Pattern GIT =
            Pattern.compile("(?i)^(git(\\+[a-z]+)?://|git@|(github|gitlab|bitbucket|gist):)");
    private static final Pattern SHORTHAND = Pattern.compile("^[\\w.-]+/[\\w.-]+(#.*)?$");
    private static final Pattern FILE = Pattern.compile("(?i)^(file:|link:|\\.{0,2}/|~/)");
    private static final Pattern ALIAS = Pattern.compile("^npm:(@?[^@]+)@?.*$");

    @Override
    public String name() {
        return "new-dependencies";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        Map<String, String> now = deps(r.subject.manifest());
        Map<String, String> was = deps(r.previousManifest());
        Map<String, List<Evidence>> ev = new LinkedHashMap<>();
        Map<String, Severity> sev = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        int lookups = 0;
        Instant at = r.subject.at();
        for (Map.Entry<String, String> d : now.entrySet()) {
            String name = d.getKey();
            String spec = d.getValue();
            if (spec.equals(was.get(name))) {
                continue;
            }
            Evidence e =
                    new Evidence(
                            "package.json",
                            0,
                            -1,
                            0,
                            Excerpts.escape(
                                    "\"" + name + "\": \"" + spec + "\"", Evidence.MAX_EXCERPT));
            String s = spec.trim();
            if (URL.matcher(s).find()) {
                put(ev, sev, names, "dependency-url", Severity.HIGH, name, e);
                continue;
            }
            if (GIT.matcher(s).find() || SHORTHAND.matcher(s).matches()) {
                put(ev, sev, names, "dependency-git", Severity.MEDIUM, name, e);
                continue;
            }
            if (FILE.matcher(s).find()) {
                put(ev, sev, names, "dependency-file", Severity.MEDIUM, name, e);
                continue;
            }
            if (was.containsKey(name)) {
                continue;
            }
            var alias = ALIAS.matcher(s);
            String target = alias.matches() ? alias.group(1) : name;
            if (lookups++ >= MAX_LOOKUPS) {
                continue;
            }
            if (!r.ecosystem.exists(target)) {
                put(ev, sev, names, "dependency-missing", Severity.MEDIUM, target, e);
                continue;
            }
            Optional<Instant> created = r.ecosystem.created(target);
            if (created.isPresent() && at != null && created.get().isAfter(at.minus(YOUNG))) {
                put(ev, sev, names, "dependency-young", Severity.MEDIUM, target, e);
            }
            if (r.ecosystem.dependents(target) == 0) {
                put(ev, sev, names, "dependency-unused", Severity.LOW, target, e);
            }
        }
        for (String id : ev.keySet()) {
            out.add(new Finding(id, sev.get(id), summary(id, names.get(id)), ev.get(id)));
        }
    }

    private static String summary(String id, List<String> names) {
        String list =
                String.join(", ", names.subList(0, Math.min(5, names.size())))
                        + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
        return switch (id) {
            case "dependency-url" ->
                    "New dependency fetched from a URL, outside any registry: " + list + ".";
            case "dependency-git" -> "New dependency fetched from a git repository: " + list + ".";
            case "dependency-file" -> "New dependency on a local path: " + list + ".";
            case "dependency-missing" ->
                    "New dependency that does not exist on this registry: " + list + ".";
            case "dependency-young" ->
                    "New dependency first published less than 7 days ago: " + list + ".";
            default -> "New dependency that no other package here depends on: " + list + ".";
        };
    }

    private static void put(
            Map<String, List<Evidence>> ev,
            Map<String, Severity> sev,
            Map<String, List<String>> names,
            String id,
            Severity s,
            String name,
            Evidence e) {
        List<Evidence> list = ev.computeIfAbsent(id, k -> new ArrayList<>());
        if (list.size() < MAX_EVIDENCE) {
            list.add(e);
        }
        sev.merge(id, s, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        names.computeIfAbsent(id, k -> new ArrayList<>()).add(name);
    }

    static Map<String, String> deps(JsonNode manifest) {
        Map<String, String> out = new LinkedHashMap<>();
        if (manifest == null) {
            return out;
        }
        for (String f : FIELDS) {
            JsonNode n = manifest.get(f);
            if (n == null || !n.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                out.putIfAbsent(
                        e.getKey(),
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return out;
    }
}
