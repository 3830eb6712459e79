package dev.warden.verify.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;

import dev.warden.verify.lockfile.SourceKind;

import org.semver4j.Semver;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a policy's TOML into a {@link Policy}. Strict on purpose: a policy is a security control,
 * so a key it does not know (a typo such as {@code minimum_day}) is refused rather than ignored.
 * Every refusal names the origin and the key as a path ({@code age.minimum_days}, {@code
 * exception[2].expires}, arrays of tables counted from 1). Only syntax errors carry a line: the
 * TOML parser builds a tree that keeps no positions, and it reports the line where it stopped
 * reading, which may be the one after the mistake (hence "near line").
 */
final class PolicyReader {

    private static final Map<String, List<String>> TABLES =
            Map.of(
                    "provenance", List.of("require", "issuers"),
                    "source", List.of("packages", "repository", "workflow", "builder"),
                    "age", List.of("minimum_days", "minimum_hours", "exclude"),
                    "scripts", List.of("allow"),
                    "sources", List.of("allow"),
                    "exception", List.of("package", "reason", "expires"),
                    "registry", RegistryReader.KEYS);

    private static final List<String> ORDER =
            List.of("provenance", "source", "age", "scripts", "sources", "exception", "registry");

    private static final List<String> ARRAYS_OF_TABLES = List.of("source", "exception", "registry");

    private final String origin;
    private final TomlValues values;
    private final RegistryReader registries;

    private PolicyReader(String origin, Path baseDir) {
        this.origin = origin;
        this.values = new TomlValues(origin);
        this.registries = new RegistryReader(values, baseDir);
    }

    static Policy read(String toml, String origin, Path baseDir) throws PolicyException {
        return new PolicyReader(origin, baseDir).read(toml);
    }

    private Policy read(String toml) throws PolicyException {
        JsonNode root;
        try {
            root =
                    TomlMapper.builder()
                            .enable(TomlReadFeature.PARSE_JAVA_TIME)
                            .build()
                            .readTree(toml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " near line " + at.getLineNr();
            throw new PolicyException(
                    "policy " + origin + " is not valid TOML" + where + ": " + firstLine(e));
        }
        if (root == null || root.isMissingNode()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            if (!TABLES.containsKey(key)) {
                throw values.refuse(
                        "unknown "
                                + (e.getValue().isObject() || e.getValue().isArray()
                                        ? "table [" + key + "]"
                                        : "key " + key)
                                + " (known: "
                                + String.join(", ", ORDER)
                                + ")");
            }
            boolean array = ARRAYS_OF_TABLES.contains(key);
            if (array && !(e.getValue().isArray() && TomlValues.allObjects(e.getValue()))) {
                throw values.refuse(key + " must be an array of tables, written [[" + key + "]]");
            }
            if (!array && !e.getValue().isObject()) {
                throw values.refuse(key + " must be a table, written [" + key + "]");
            }
        }
        Policy.Builder policy = new Policy.Builder(origin);
        if (root.get("provenance") instanceof ObjectNode t) {
            values.known(t, "provenance", TABLES.get("provenance"));
            policy.provenanceRequired = values.patterns(t.get("require"), "provenance.require");
            policy.issuers = issuers(t.get("issuers"), "provenance.issuers");
        }
        int n = 0;
        for (JsonNode s : array(root, "source")) {
            policy.sources.add(source((ObjectNode) s, "source[" + ++n + "]"));
        }
        if (root.get("age") instanceof ObjectNode t) {
            values.known(t, "age", TABLES.get("age"));
            policy.minimumAge = minimumAge(t);
            policy.ageExclude = values.patterns(t.get("exclude"), "age.exclude");
        }
        if (root.get("scripts") instanceof ObjectNode t) {
            values.known(t, "scripts", TABLES.get("scripts"));
            policy.scriptsAllowed = values.patterns(t.get("allow"), "scripts.allow");
        }
        if (root.get("sources") instanceof ObjectNode t) {
            values.known(t, "sources", TABLES.get("sources"));
            policy.sourcesAllowed = sourceKinds(t.get("allow"), "sources.allow");
        }
        n = 0;
        for (JsonNode x : array(root, "exception")) {
            policy.exceptions.add(exception((ObjectNode) x, "exception[" + ++n + "]"));
        }
        n = 0;
        Set<URI> urls = new HashSet<>();
        for (JsonNode r : array(root, "registry")) {
            String key = "registry[" + ++n + "]";
            RegistryPin pin = registries.read((ObjectNode) r, key);
            if (!urls.add(Policy.normalize(pin.uri()))) {
                throw values.refuse(key + ".url " + pin.url() + " is pinned twice");
            }
            policy.registries.add(pin);
        }
        return policy.build();
    }

    private Policy.SourceRule source(ObjectNode t, String key) throws PolicyException {
        values.known(t, key, TABLES.get("source"));
        String packages = values.requiredString(t, key, "packages");
        NamePattern pattern = values.pattern(packages, key + ".packages");
        String repository = values.requiredString(t, key, "repository");
        if (repository.contains("@") || repository.contains("?") || repository.contains("#")) {
            throw values.refuse(
                    key
                            + ".repository must name a repository such as"
                            + " github.com/acme/monorepo, not \""
                            + repository
                            + "\"");
        }
        String workflow = values.optionalString(t, key, "workflow");
        String builder = values.optionalString(t, key, "builder");
        return new Policy.SourceRule(
                pattern, new SourcePin(packages, repository, workflow, builder));
    }

    private Optional<Duration> minimumAge(ObjectNode t) throws PolicyException {
        JsonNode days = t.get("minimum_days");
        JsonNode hours = t.get("minimum_hours");
        if (days != null && hours != null) {
            throw values.refuse("age.minimum_days and age.minimum_hours are both given: keep one");
        }
        if (days != null) {
            return Optional.of(Duration.ofDays(count(days, "age.minimum_days", "days")));
        }
        if (hours != null) {
            return Optional.of(Duration.ofHours(count(hours, "age.minimum_hours", "hours")));
        }
        return Optional.empty();
    }

    private long count(JsonNode v, String key, String unit) throws PolicyException {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw values.refuse(
                    key
                            + " must be a whole number of "
                            + unit
                            + ", 0 or more, not "
                            + TomlValues.show(v));
        }
        return v.intValue();
    }

    private Policy.ExceptionRule exception(ObjectNode t, String key) throws PolicyException {
        values.known(t, key, TABLES.get("exception"));
        String pkg = values.requiredString(t, key, "package");
        int at = pkg.lastIndexOf('@');
        NamePattern name;
        String version = null;
        if (at > 0) {
            name = values.pattern(pkg.substring(0, at), key + ".package");
            version = pkg.substring(at + 1);
            if (!name.isExact() || !Semver.isValid(version)) {
                throw values.refuse(
                        key
                                + ".package must be name@version (an exact version), a name or a"
                                + " name pattern, not \""
                                + pkg
                                + "\"");
            }
        } else {
            name = values.pattern(pkg, key + ".package");
        }
        JsonNode reason = t.get("reason");
        if (reason == null || !reason.isTextual() || reason.textValue().isBlank()) {
            throw values.refuse(
                    key
                            + ".reason is required: say why "
                            + pkg
                            + " may fail"
                            + (reason == null ? "" : " (not " + TomlValues.show(reason) + ")"));
        }
        JsonNode expires = t.get("expires");
        if (expires == null) {
            throw values.refuse(
                    key
                            + ".expires is required: the last day the exception holds, a TOML date"
                            + " such as 2027-01-31");
        }
        if (!(expires instanceof POJONode p && p.getPojo() instanceof LocalDate date)) {
            throw values.refuse(
                    key
                            + ".expires must be a date written without quotes, such as"
                            + " expires = 2027-01-31, not "
                            + TomlValues.show(expires));
        }
        return new Policy.ExceptionRule(
                name, version, new Waiver(pkg, reason.textValue().strip(), date));
    }

    private List<String> issuers(JsonNode v, String key) throws PolicyException {
        List<String> issuers = values.strings(v, key);
        for (String issuer : issuers) {
            URI uri;
            try {
                uri = new URI(issuer);
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !"https".equals(uri.getScheme())) {
                throw values.refuse(
                        key
                                + " must list OIDC issuer URLs such as"
                                + " https://token.actions.githubusercontent.com, not \""
                                + issuer
                                + "\"");
            }
        }
        return issuers;
    }

    private Set<SourceKind> sourceKinds(JsonNode v, String key) throws PolicyException {
        Set<SourceKind> kinds = EnumSet.of(SourceKind.LINK);
        for (String s : values.strings(v, key)) {
            SourceKind kind =
                    switch (s) {
                        case "registry" -> SourceKind.REGISTRY;
                        case "git" -> SourceKind.GIT;
                        case "url" -> SourceKind.URL;
                        case "file" -> SourceKind.FILE;
                        default ->
                                throw values.refuse(
                                        key
                                                + " may hold \"registry\", \"git\", \"url\" and"
                                                + " \"file\", not \""
                                                + s
                                                + "\"");
                    };
            kinds.add(kind);
        }
        return kinds;
    }

    private static Iterable<JsonNode> array(JsonNode root, String key) {
        JsonNode v = root.get(key);
        return v == null ? List.of() : v;
    }

    private static String firstLine(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
