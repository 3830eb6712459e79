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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
                    "registry", List.of("url", "keys", "tuf_root"));

    private static final List<String> ORDER =
            List.of("provenance", "source", "age", "scripts", "sources", "exception", "registry");

    private static final List<String> ARRAYS_OF_TABLES = List.of("source", "exception", "registry");

    private final String origin;
    private final Path baseDir;

    private PolicyReader(String origin, Path baseDir) {
        this.origin = origin;
        this.baseDir = baseDir;
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
                throw refuse(
                        "unknown "
                                + (e.getValue().isObject() || e.getValue().isArray()
                                        ? "table [" + key + "]"
                                        : "key " + key)
                                + " (known: "
                                + String.join(", ", ORDER)
                                + ")");
            }
            boolean array = ARRAYS_OF_TABLES.contains(key);
            if (array && !(e.getValue().isArray() && allObjects(e.getValue()))) {
                throw refuse(key + " must be an array of tables, written [[" + key + "]]");
            }
            if (!array && !e.getValue().isObject()) {
                throw refuse(key + " must be a table, written [" + key + "]");
            }
        }
        Policy.Builder policy = new Policy.Builder(origin);
        if (root.get("provenance") instanceof ObjectNode t) {
            known(t, "provenance");
            policy.provenanceRequired = patterns(t, "provenance.require");
            policy.issuers = issuers(t.get("issuers"), "provenance.issuers");
        }
        int n = 0;
        for (JsonNode s : array(root, "source")) {
            policy.sources.add(source((ObjectNode) s, "source[" + ++n + "]"));
        }
        if (root.get("age") instanceof ObjectNode t) {
            known(t, "age");
            policy.minimumAge = minimumAge(t);
            policy.ageExclude = patterns(t, "age.exclude");
        }
        if (root.get("scripts") instanceof ObjectNode t) {
            known(t, "scripts");
            policy.scriptsAllowed = patterns(t, "scripts.allow");
        }
        if (root.get("sources") instanceof ObjectNode t) {
            known(t, "sources");
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
            RegistryPin pin = registry((ObjectNode) r, key);
            if (!urls.add(Policy.normalize(pin.uri()))) {
                throw refuse(key + ".url " + pin.url() + " is pinned twice");
            }
            policy.registries.add(pin);
        }
        return policy.build();
    }

    private Policy.SourceRule source(ObjectNode t, String key) throws PolicyException {
        known(t, key, "source");
        String packages = requiredString(t, key, "packages");
        NamePattern pattern = pattern(packages, key + ".packages");
        String repository = requiredString(t, key, "repository");
        if (repository.contains("@") || repository.contains("?") || repository.contains("#")) {
            throw refuse(
                    key
                            + ".repository must name a repository such as"
                            + " github.com/acme/monorepo, not \""
                            + repository
                            + "\"");
        }
        String workflow = optionalString(t, key, "workflow");
        String builder = optionalString(t, key, "builder");
        return new Policy.SourceRule(
                pattern, new SourcePin(packages, repository, workflow, builder));
    }

    private Optional<Duration> minimumAge(ObjectNode t) throws PolicyException {
        JsonNode days = t.get("minimum_days");
        JsonNode hours = t.get("minimum_hours");
        if (days != null && hours != null) {
            throw refuse("age.minimum_days and age.minimum_hours are both given: keep one");
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
            throw refuse(
                    key + " must be a whole number of " + unit + ", 0 or more, not " + show(v));
        }
        return v.intValue();
    }

    private Policy.ExceptionRule exception(ObjectNode t, String key) throws PolicyException {
        known(t, key, "exception");
        String pkg = requiredString(t, key, "package");
        int at = pkg.lastIndexOf('@');
        NamePattern name;
        String version = null;
        if (at > 0) {
            name = pattern(pkg.substring(0, at), key + ".package");
            version = pkg.substring(at + 1);
            if (!name.isExact() || !Semver.isValid(version)) {
                throw refuse(
                        key
                                + ".package must be name@version (an exact version), a name or a"
                                + " name pattern, not \""
                                + pkg
                                + "\"");
            }
        } else {
            name = pattern(pkg, key + ".package");
        }
        JsonNode reason = t.get("reason");
        if (reason == null || !reason.isTextual() || reason.textValue().isBlank()) {
            throw refuse(
                    key
                            + ".reason is required: say why "
                            + pkg
                            + " may fail"
                            + (reason == null ? "" : " (not " + show(reason) + ")"));
        }
        JsonNode expires = t.get("expires");
        if (expires == null) {
            throw refuse(
                    key
                            + ".expires is required: the last day the exception holds, a TOML date"
                            + " such as 2027-01-31");
        }
        if (!(expires instanceof POJONode p && p.getPojo() instanceof LocalDate date)) {
            throw refuse(
                    key
                            + ".expires must be a date written without quotes, such as"
                            + " expires = 2027-01-31, not "
                            + show(expires));
        }
        return new Policy.ExceptionRule(
                name, version, new Waiver(pkg, reason.textValue().strip(), date));
    }

    private RegistryPin registry(ObjectNode t, String key) throws PolicyException {
        known(t, key, "registry");
        String url = requiredString(t, key, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getScheme() == null
                || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw refuse(
                    key
                            + ".url must be a registry's http(s) base URL with no credentials,"
                            + " query or fragment, not \""
                            + url
                            + "\"");
        }
        List<RegistryPin.Key> keys = new ArrayList<>();
        JsonNode list = t.get("keys");
        if (list != null) {
            if (!list.isArray() || !allObjects(list)) {
                throw refuse(
                        key + ".keys must be a list of tables { keyid = \"...\", key = \"...\" }");
            }
            Set<String> ids = new HashSet<>();
            int i = 0;
            for (JsonNode k : list) {
                String at = key + ".keys[" + ++i + "]";
                keys.add(key((ObjectNode) k, at));
                if (!ids.add(keys.getLast().keyid())) {
                    throw refuse(at + ".keyid " + keys.getLast().keyid() + " is given twice");
                }
            }
        }
        Path tufRoot = null;
        String root = optionalString(t, key, "tuf_root");
        if (root != null) {
            Path p = Path.of(root);
            tufRoot = p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
            if (!Files.isRegularFile(tufRoot)) {
                throw refuse(key + ".tuf_root " + tufRoot + " is not a file");
            }
        }
        return new RegistryPin(url, keys, tufRoot);
    }

    private RegistryPin.Key key(ObjectNode k, String at) throws PolicyException {
        for (String name : (Iterable<String>) k::fieldNames) {
            if (!name.equals("keyid") && !name.equals("key")) {
                throw refuse("unknown key " + at + "." + name + " (known: keyid, key)");
            }
        }
        String keyid = requiredString(k, at, "keyid");
        String key = requiredString(k, at, "key");
        if (!isPublicKey(key)) {
            throw refuse(
                    at
                            + ".key must be a public key as /-/npm/v1/keys serves it (base64 of"
                            + " DER SubjectPublicKeyInfo), and "
                            + keyid
                            + "'s is not");
        }
        return new RegistryPin.Key(keyid, key);
    }

    static boolean isPublicKey(String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String algorithm : List.of("EC", "Ed25519", "RSA")) {
            try {
                KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                return true;
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this algorithm's: try the next
            }
        }
        return false;
    }

    private List<String> issuers(JsonNode v, String key) throws PolicyException {
        List<String> issuers = strings(v, key);
        for (String issuer : issuers) {
            URI uri;
            try {
                uri = new URI(issuer);
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !"https".equals(uri.getScheme())) {
                throw refuse(
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
        for (String s : strings(v, key)) {
            SourceKind kind =
                    switch (s) {
                        case "registry" -> SourceKind.REGISTRY;
                        case "git" -> SourceKind.GIT;
                        case "url" -> SourceKind.URL;
                        case "file" -> SourceKind.FILE;
                        default ->
                                throw refuse(
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

    private List<NamePattern> patterns(ObjectNode t, String key) throws PolicyException {
        List<NamePattern> patterns = new ArrayList<>();
        for (String s : strings(t.get(key.substring(key.indexOf('.') + 1)), key)) {
            patterns.add(pattern(s, key));
        }
        return patterns;
    }

    private NamePattern pattern(String s, String key) throws PolicyException {
        try {
            return NamePattern.parse(s);
        } catch (IllegalArgumentException e) {
            throw refuse(key + ": " + e.getMessage());
        }
    }

    /** An absent list is empty. */
    private List<String> strings(JsonNode v, String key) throws PolicyException {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw refuse(
                    key + " must be a list of strings, such as [\"a\", \"b\"], not " + show(v));
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw refuse(key + " must be a list of strings, and " + show(e) + " is not one");
            }
            out.add(e.textValue());
        }
        return out;
    }

    private String requiredString(ObjectNode t, String table, String name) throws PolicyException {
        String s = optionalString(t, table, name);
        if (s == null) {
            throw refuse(table + "." + name + " is required");
        }
        return s;
    }

    private String optionalString(ObjectNode t, String table, String name) throws PolicyException {
        JsonNode v = t.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw refuse(table + "." + name + " must be a non-empty string, not " + show(v));
        }
        return v.textValue();
    }

    private void known(ObjectNode t, String table) throws PolicyException {
        known(t, table, table);
    }

    private void known(ObjectNode t, String key, String table) throws PolicyException {
        List<String> keys = TABLES.get(table);
        for (String name : (Iterable<String>) t::fieldNames) {
            if (!keys.contains(name)) {
                throw refuse(
                        "unknown key "
                                + key
                                + "."
                                + name
                                + " (known: "
                                + String.join(", ", keys)
                                + ")");
            }
        }
    }

    private static Iterable<JsonNode> array(JsonNode root, String key) {
        JsonNode v = root.get(key);
        return v == null ? List.of() : v;
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isObject()) {
                return false;
            }
        }
        return true;
    }

    /** A value as the message shows it: short, and on one line. */
    private static String show(JsonNode v) {
        String s =
                v instanceof POJONode p
                        ? String.valueOf(p.getPojo())
                        : v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString();
        s = s.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 60 ? s.substring(0, 59) + "…" : s;
    }

    private PolicyException refuse(String problem) {
        return new PolicyException("policy " + origin + ": " + problem);
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
